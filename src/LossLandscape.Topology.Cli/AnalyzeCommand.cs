using System.Collections.Immutable;
using LossLandscape.Topology.CommandLine;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Studies;

namespace LossLandscape.Topology.Cli;

/// <summary><c>llt analyze</c>: topology of a landscape file.</summary>
internal static class AnalyzeCommand
{
    /// <summary>Every file <c>--out</c> may write: removed first, so a folder never mixes two runs' files.</summary>
    private static readonly string[] OutputFiles =
    [
        "topology.json", "persistence_diagram.csv", "merge_tree_nodes.csv", "merge_tree_arcs.csv", "metrics.csv",
        "merge_tree.vtp", "persistence_diagram.vtp", "landscape.vti", "landscape.vtu", "merge_tree.png",
        "persistence_diagram.png", "persistence_barcode.png", "landscape.png", "landscape_surface.html", SurfaceHtml.ScriptFileName, "report.html", "claims.csv",
    ];

    public static int Run(AnalyzeOptions options, TextWriter stdout)
    {
        // The free cores are measured from here (ComputeThreads.MeasurementWindow) while the file loads and, for
        // dimension 0, while the merge tree's first tiles are swept; the measurement leaves this process's own work out.
        FreeCoresMeasurement freeCores = ComputeThreads.StartMeasuring();
        Landscape landscape = Load(options);
        CheckDimension(options, landscape);
        NeighborGraph graph;
        try
        {
            graph = BuildGraph(landscape, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new UsageException($"{options.Input}: {e.Message}");
        }

        // Higher dimensions (--dimension D asks for every dimension from 1 to D) start at once, each on a thread of its
        // own (the dual sweep and the cohomology are sequential), and write their pairs there as soon as they are done.
        // The merge tree takes the cores they leave, measured as for dimension 0 alone while its first tiles are swept.
        // Where there are too few cores for both (a fixed count from --threads or OMP_NUM_THREADS, or the measured free
        // cores, known 30–100 ms after the start), the higher dimensions wait until dimension 0 is done instead.
        int higherCount = options.Dimension;
        int? fixedCount = options.Threads ?? ComputeThreads.OmpNumThreads();
        bool beside = fixedCount is not int limit || limit > higherCount;
        var dimensionZeroDone = new TaskCompletionSource();
        Task<TopologySummary.HigherDimension> StartHigher(int dimension) => Task.Factory.StartNew(
            () =>
            {
                if (!beside || (fixedCount is null && freeCores.Finish(ComputeThreads.MeasurementWindow) <= higherCount))
                {
                    dimensionZeroDone.Task.Wait();
                }

                return HigherDimension(options, landscape, dimension);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Task<TopologySummary.HigherDimension>[] higher = [.. Enumerable.Range(1, higherCount).Select(StartHigher)];

        MergeTree tree;
        TopologySummary summary, printed;
        int total;
        try
        {
            (tree, summary, printed, total) = DimensionZero(options, landscape, graph, freeCores, beside ? higherCount : 0, fixedCount, higher);
        }
        finally
        {
            dimensionZeroDone.SetResult();
        }

        foreach (Task<TopologySummary.HigherDimension> task in higher)
        {
            TopologySummary.HigherDimension part = task.GetAwaiter().GetResult();
            summary = summary.With(part);
            printed = (part.Dimension, options.Pairs) switch
            {
                (_, null) => printed.With(part),
                (1, { } file) => printed.With(part with { Pairs = [] }) with { Pairs1File = DimensionFile(file, 1) },
                (_, { } file) => printed.With(part with { Pairs = [] }) with { Pairs2File = DimensionFile(file, part.Dimension) },
            };
        }

        if (ReferenceEquals(stdout, Console.Out))
        {
            // Straight to the standard output stream as UTF-8: a diagram of half a million pairs is tens of MB.
            stdout.Flush();
            using Stream raw = Console.OpenStandardOutput();
            printed.WriteJson(raw);
            raw.WriteByte((byte)'\n');
        }
        else
        {
            stdout.WriteLine(printed.ToJson());
        }
        if (options.Output is not null)
        {
            WriteOutputs(options.Output, options.Input, options.Graph, landscape, graph, tree, summary, total);
        }

        return 0;
    }

    /// <summary>
    /// The merge tree of <paramref name="graph"/> on the cores left when <paramref name="reserved"/> of them run higher
    /// dimensions (of <paramref name="fixedCount"/> when given, else of those <paramref name="freeCores"/> measures), its
    /// summary and, with <c>--pairs</c>, its pairs written on the threads the still unfinished <paramref name="higher"/>
    /// dimensions leave free; the summary, the summary to print and the thread count of the run.
    /// </summary>
    private static (MergeTree Tree, TopologySummary Summary, TopologySummary Printed, int Total) DimensionZero(
        AnalyzeOptions options, Landscape landscape, NeighborGraph graph, FreeCoresMeasurement freeCores, int reserved, int? fixedCount, Task[] higher)
    {
        MergeTree tree;
        try
        {
            int? treeThreads = fixedCount is int given ? Math.Max(1, given - reserved) : null;
            tree = new MergeTreeBuilder(new MergeTreeOptions { NaNHandling = options.NaN, Threads = treeThreads, FreeCores = freeCores.Reserving(reserved) }).Build(graph, landscape);
        }
        catch (ArgumentException e) when (e.Message.Contains("NaN", StringComparison.Ordinal))
        {
            throw new UsageException($"{options.Input}: {e.Message.Split(". Fix")[0]} (use --nan inf to read NaN as +infinity)");
        }

        int total = ComputeThreads.Choose(options.Threads, freeCores); // the window is long past: no wait

        // Basins follow the steepest descent on the graph, so they are those of the landscape itself, before any
        // simplification (a simplified tree has fewer minima than the graph).
        BasinStatistics? basins = options.Basins ? LandscapeBasins.Of(tree, graph).Statistics() : null;
        if (options.Simplify is { } threshold)
        {
            tree = tree.Simplify(threshold);
        }

        // The components' pairs are written while the higher dimensions may still be running (on the cores they
        // leave free); each higher dimension's pairs follow as soon as it is done.
        int FreeThreads() => Math.Max(1, total - higher.Count(t => !t.IsCompleted)); // one per dimension still running or waiting
        // With --pairs and no --out the summary's pairs are never printed: they go from the diagram to the file, and the
        // summary's numbers are worked out on this thread while the other threads start formatting them.
        bool summaryPairs = options.Pairs is null || options.Output is not null;
        TopologySummary? summary = null;
        TopologySummary Summarize() => TopologySummary.Of(tree, summaryPairs) with { Basins = basins };
        if (options.Pairs is { } pairsFile)
        {
            PairsFile.Write(pairsFile, TopologySummary.SortedBirthDeath(tree.ToPersistenceDiagram().Pairs), FreeThreads(), () => summary = Summarize());
        }

        summary ??= Summarize();
        TopologySummary printed = options.Pairs is { } written ? summary with { Pairs = [], PairsFile = written } : summary;
        return (tree, summary, printed, total);
    }

    /// <summary>
    /// One higher dimension's diagram, simplified as <c>--simplify</c> asks, its pairs written with <c>--pairs</c>, and
    /// its part of the summary (with JSON-ready pairs only where they are printed or go to <c>--out</c>).
    /// </summary>
    private static TopologySummary.HigherDimension HigherDimension(AnalyzeOptions options, Landscape landscape, int dimension)
    {
        GridConnectivity construction = options.Graph == "axis" ? GridConnectivity.Axis : GridConnectivity.Full;
        PersistenceDiagram diagram = GridPersistence.Diagram(landscape, dimension, construction, new MergeTreeOptions { NaNHandling = options.NaN });
        diagram = options.Simplify is { } cut ? diagram.Filter(cut) : diagram;
        if (options.Pairs is { } file)
        {
            PairsFile.Write(DimensionFile(file, dimension), TopologySummary.SortedBirthDeath(diagram.Pairs));
        }

        return TopologySummary.DimensionOf(diagram, withPairs: options.Pairs is null || options.Output is not null);
    }

    /// <summary>Where <c>--pairs FILE</c> puts the pairs of another dimension: pairs.csv → pairs.dim1.csv.</summary>
    private static string DimensionFile(string pairsFile, int dimension)
        => Path.Combine(Path.GetDirectoryName(pairsFile) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(pairsFile)}.dim{dimension}{Path.GetExtension(pairsFile)}");

    /// <summary>Refuses a <c>--dimension</c> the landscape and graph cannot have before any work is done.</summary>
    private static void CheckDimension(AnalyzeOptions options, Landscape landscape)
    {
        int dimension = options.Dimension;
        if (dimension == 0)
        {
            return;
        }

        if (!landscape.IsGrid || options.Graph is not ("full" or "axis"))
        {
            throw new UsageException($"--dimension {dimension} needs a grid landscape and --graph full or axis (the graph is {options.Graph}{(landscape.IsGrid ? string.Empty : ", and the landscape holds scattered points")})");
        }

        int top = landscape.Dimension - 1;
        if (dimension > top)
        {
            throw new UsageException($"--dimension {dimension}: a {landscape.Dimension}-D grid has persistence in dimensions 0 to {top}");
        }

    }

    internal static Landscape Load(AnalyzeOptions options)
    {
        string path = options.Input;
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        // A pipe or a device reports length 0, and opening a pipe would wait for a writer forever.
        if (new FileInfo(path).Length == 0)
        {
            throw new UsageException($"{path}: the file is empty, or not a regular file (a pipe or a device)");
        }

        try
        {
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".npy" => NpyFile.ReadLandscape(path),
                ".vti" => VtkFiles.ReadImageData(path),
                ".csv" => CsvFiles.ReadLandscape(path),
                ".npz" => NpzFile.ReadLandscape(path, options.Array),
                ".h5" or ".hdf5" => H5SurfaceFile.ReadLandscape(path, options.Dataset ?? H5SurfaceFile.DefaultDataset),
                var other => throw new UsageException($"{path}: unknown file type '{other}' (use .npy, .npz, .h5, .vti or .csv)"),
            };
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException or FormatException or ArgumentException)
        {
            string message = e.Message.Contains(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}";
            string hint = e.Message.Contains("has no dataset", StringComparison.Ordinal) ? " (choose one with --dataset NAME)"
                : e.Message.Contains("has no array", StringComparison.Ordinal) ? " (choose one with --array NAME)"
                : string.Empty;
            throw new UsageException(hint.Length > 0 ? message.TrimEnd('.') + hint : message);
        }
    }

    internal static NeighborGraph BuildGraph(Landscape landscape, AnalyzeOptions options)
    {
        if (options.Graph == "knn")
        {
            if (options.K >= landscape.Count)
            {
                throw new UsageException($"--k {options.K} needs more than {options.K} points; the landscape has {landscape.Count}");
            }

            return new KnnGraphBuilder(options.K).Build(landscape);
        }

        if (options.Graph is "delaunay" or "gabriel")
        {
            if (landscape.Dimension != 2)
            {
                throw new UsageException($"--graph {options.Graph} needs a 2-D landscape; {options.Input} is {landscape.Dimension}-D (use --graph knn)");
            }

            return options.Graph == "delaunay" ? new DelaunayGraphBuilder().Build(landscape) : new GabrielGraphBuilder().Build(landscape);
        }

        if (!landscape.IsGrid)
        {
            throw new UsageException($"{options.Input} holds scattered points; use --graph knn, delaunay or gabriel");
        }

        return options.Graph switch
        {
            "axis" => GridGraphBuilder.Axis.Build(landscape),
            "freudenthal" => GridGraphBuilder.Freudenthal.Build(landscape),
            _ => GridGraphBuilder.Full.Build(landscape),
        };
    }

    /// <summary>The landscape as VTK image data (.vti), or as an unstructured grid (.vtu) when its axes are not uniformly spaced or it is no grid.</summary>
    private static void WriteLandscapeFile(string folder, Landscape landscape, NeighborGraph graph, bool image)
    {
        if (image)
        {
            try
            {
                VtkFiles.WriteImageData(Path.Combine(folder, "landscape.vti"), landscape);
                return;
            }
            catch (ArgumentException)
            {
                // axes not uniformly spaced: the graph file below carries the coordinates
            }
        }

        VtkFiles.WriteUnstructuredGrid(Path.Combine(folder, "landscape.vtu"), landscape, graph);
    }

    private static void WriteOutputs(string folder, string input, string graphName, Landscape landscape, NeighborGraph graph, MergeTree tree, TopologySummary summary, int threads)
    {
        Directory.CreateDirectory(folder);
        foreach (string name in OutputFiles)
        {
            File.Delete(Path.Combine(folder, name));
        }

        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        _ = tree.Arcs; // built once here, not by two writers at the same time
        _ = tree.Branches;
        bool image = landscape.IsGrid && landscape.Dimension <= 3 && graph.Grid is not null;
        bool picture = landscape.IsGrid && landscape.Dimension == 2;

        // The files are independent: written on the free cores at once (a 2048² grid's are 400 MB).
        var writers = new List<Action>
        {
            () => File.WriteAllText(Path.Combine(folder, "topology.json"), summary.ToJson(indented: true)),
            () => CsvFiles.WritePersistenceDiagram(Path.Combine(folder, "persistence_diagram.csv"), diagram),
            () => CsvFiles.WriteMergeTreeNodes(Path.Combine(folder, "merge_tree_nodes.csv"), tree),
            () => CsvFiles.WriteMergeTreeArcs(Path.Combine(folder, "merge_tree_arcs.csv"), tree),
            () => VtkFiles.WriteMergeTree(Path.Combine(folder, "merge_tree.vtp"), tree),
            () => VtkFiles.WritePersistenceDiagram(Path.Combine(folder, "persistence_diagram.vtp"), diagram),
            () => WriteLandscapeFile(folder, landscape, graph, image),
            () =>
            {
                // The pictures one after another: the plotting library's font and paint caches are shared.
                PlotFiles.Save(MergeTreePlot.Create(tree), Path.Combine(folder, "merge_tree.png"));
                PlotFiles.Save(PersistenceDiagramPlot.Create(diagram), Path.Combine(folder, "persistence_diagram.png"), 600, 600);
                PlotFiles.Save(PersistenceBarcodePlot.Create(diagram), Path.Combine(folder, "persistence_barcode.png"));
                if (picture)
                {
                    PlotFiles.Save(LandscapeHeatmap.Create(landscape, new LandscapeHeatmapOptions { CriticalPoints = tree }), Path.Combine(folder, "landscape.png"));
                }
            },
        };
        if (picture)
        {
            writers.Add(() => SurfaceHtml.Save(landscape, Path.Combine(folder, "landscape_surface.html")));
        }

        try
        {
            Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = threads }, [.. writers]);
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var pictures = new List<string> { "merge_tree.png", "persistence_diagram.png", "persistence_barcode.png" };
        if (picture)
        {
            pictures.InsertRange(0, ["landscape.png", "landscape_surface.html"]);
        }

        // metrics.csv and report.html through the library's one study writer, with the case studies' column names.
        TopologyMetrics metrics = TopologyMetrics.Of(tree);
        var row = new SweepRow(
            new Dictionary<string, string> { ["file"] = Path.GetFileName(input), ["graph"] = graphName },
            new Dictionary<string, double>
            {
                ["vertices"] = metrics.VertexCount, ["minima"] = metrics.MinimumCount, ["boundary_minima"] = metrics.BoundaryMinimumCount,
                ["saddles"] = metrics.SaddleCount, ["saddle_pairs"] = metrics.SaddlePairCount, ["avg_persistence"] = metrics.AveragePersistence,
                ["avg_persistence_finite"] = metrics.AverageFinitePersistence, ["max_persistence"] = metrics.MaximumPersistence,
                ["persistence_entropy"] = metrics.PersistenceEntropy, ["landscape_min"] = tree.FiniteMinimum, ["landscape_max"] = tree.FiniteMaximum,
            });
        StudyReport.Write(folder, new SweepTable().Add(row), [], new StudyReportOptions
        {
            Title = $"Topology of {Path.GetFileName(input)}",
            Description = [$"{landscape}; graph: {graphName}. Written by llt analyze."],
            TableColumns = ["vertices", "minima", "boundary_minima", "saddles", "avg_persistence", "avg_persistence_finite"],
            Sections = [("Pictures", pictures)],
        });
    }
}
