using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Kernels;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Kernels;

public class CpuMlpTests
{
    [Test]
    public void CanMatchLibTorchOnRandomMlpsWithAndWithoutADirection([Values(ScalarType.Float64, ScalarType.Float32)] ScalarType type, [Values(128, 256, 512)] int bits)
    {
        using IDisposable vectorWidth = CpuMlp.UseWidth(bits); // every width's code on every CPU (software fallback where not accelerated)
        var random = new Random(7);
        double tolerance = type == ScalarType.Float64 ? 1e-12 : 2e-5;
        for (int trial = 0; trial < 24; trial++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            manual_seed(trial);
            int inputs = random.Next(1, 5);
            int depth = random.Next(1, 4);
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
            int width = inputs;
            for (int l = 0; l < depth; l++)
            {
                int next = random.Next(1, 40);
                layers.Add(($"fc{l}", nn.Linear(width, next, hasBias: random.Next(4) > 0, dtype: type)));
                layers.Add(($"act{l}", (random.Next(4) switch { 0 => nn.Tanh(), 1 => nn.Sigmoid(), 2 => nn.ReLU(), _ => nn.Identity() })));
                width = next;
            }

            layers.Add(("out", nn.Linear(width, random.Next(1, 4), dtype: type)));
            var model = nn.Sequential(layers);
            int members = random.Next(1, 6);
            int samples = random.Next(1, 800); // several tiles, and a short last one
            Tensor[] parameters = model.parameters().Select(p => (p.unsqueeze(0) + (0.3 * randn([members, .. p.shape], dtype: type))).contiguous()).ToArray();
            Tensor input = randn(samples, inputs, dtype: type) * 2;
            double[] direction = Enumerable.Range(0, inputs).Select(_ => random.NextDouble() - 0.5).ToArray();
            MlpStructure structure = MlpStructure.Of(model);
            CpuMlp kernels = CpuMlp.TryCreate(structure, parameters) ?? throw new AssertionException("the kernels take this MLP");
            Assert.That(kernels.Accepts(parameters, input), Is.True);

            (Tensor output, Tensor? derivative) = kernels.Evaluate(parameters, input, direction);
            (Tensor expected, Tensor expectedDerivative) = ForwardMode.Run(structure, parameters, input, direction);
            AssertClose(output, expected, tolerance, $"trial {trial}: outputs");
            AssertClose(derivative!, expectedDerivative, tolerance, $"trial {trial}: derivatives");
            AssertClose(kernels.Evaluate(parameters, input, default).Output, expected, tolerance, $"trial {trial}: outputs without a direction");
        }
    }

    [Test]
    public void CanMatchAutogradWithForwardModeDerivatives()
    {
        manual_seed(3);
        var model = nn.Sequential(("a", nn.Linear(3, 9, dtype: ScalarType.Float64)), ("t", nn.Tanh()), ("b", nn.Linear(9, 7, dtype: ScalarType.Float64)),
            ("s", nn.Sigmoid()), ("c", nn.Linear(7, 2, dtype: ScalarType.Float64)));
        Tensor input = randn(40, 3, dtype: ScalarType.Float64);
        double[] direction = [0.3, -1.2, 2.0];
        (Tensor output, Tensor derivative) = ForwardMode.Run(MlpStructure.Of(model), model.parameters().ToArray(), input, direction);
        for (int o = 0; o < 2; o++)
        {
            Tensor x = input.detach().clone().requires_grad_();
            Tensor gradient = autograd.grad([model.call(x)[.., o].sum()], [x])[0];
            Tensor expected = matmul(gradient, tensor(direction, dtype: ScalarType.Float64));
            AssertClose(derivative[.., o], expected, 1e-13, $"output {o}");
        }

        AssertClose(output, model.call(input), 1e-14, "outputs");
    }

    [Test]
    public void CanDeclineWhatTheKernelsDoNotTake()
    {
        using IDisposable vectorWidth = CpuMlp.UseWidth(128);
        var gelu = nn.Sequential(("a", nn.Linear(2, 4)), ("g", nn.GELU()), ("b", nn.Linear(4, 1)));
        Assert.That(CpuMlp.TryCreate(MlpStructure.Of(gelu), gelu.parameters().ToArray()), Is.Null, "GELU is not one of the kernels' activations");
        var twice = nn.Sequential(("a", nn.Linear(2, 4)), ("t", nn.Tanh()), ("u", nn.Tanh()), ("b", nn.Linear(4, 1)));
        Assert.That(CpuMlp.TryCreate(MlpStructure.Of(twice), twice.parameters().ToArray()), Is.Null, "two activations in a row");

        var model = nn.Sequential(("a", nn.Linear(2, 4)), ("t", nn.Tanh()), ("b", nn.Linear(4, 1)));
        Tensor[] parameters = model.parameters().Select(p => p.detach().unsqueeze(0)).ToArray();
        CpuMlp kernels = CpuMlp.TryCreate(MlpStructure.Of(model), parameters)!;
        Assert.That(kernels.Accepts(parameters, randn(5, 2, dtype: ScalarType.Float64)), Is.False, "float64 inputs for float32 parameters");
        Assert.That(kernels.Accepts(parameters, randn(5, 3)), Is.False, "three input features for two");
        using (enable_grad())
        {
            Assert.That(kernels.Accepts(parameters, randn(5, 2).requires_grad_()), Is.False, "inputs that autograd differentiates");
            Assert.That(kernels.Accepts(model.parameters().ToArray(), randn(5, 2)), Is.False, "parameters that autograd differentiates");
        }

        Assert.That(kernels.Accepts(parameters, randn(5, 2)), Is.True);
    }

    [Test]
    public void CanGiveTheSameLandscapeWithAndWithoutTheKernels([Values(128, 256, 512)] int bits)
    {
        using IDisposable vectorWidth = CpuMlp.UseWidth(bits);
        // The PINN form: u_t + β u_x by forward mode, batched through the kernels and through libtorch, and on the model.
        manual_seed(0);
        var model = nn.Sequential(("l1", nn.Linear(2, 20)), ("a1", nn.Tanh()), ("l2", nn.Linear(20, 20)), ("a2", nn.Tanh()), ("l3", nn.Linear(20, 1)));
        Tensor collocation = rand(300, 2) * tensor(new[] { 2 * MathF.PI, 1f });

        // Float32: libtorch's reductions are blocked by its thread count, which earlier tests change, and the residual
        // cancels (u_t against 5 u_x), so the paths differ by several float32 roundings: up to 4.5e-5 relative was seen.
        (double[] fast, double[] torchOnly, double[] onModel) = Landscapes(model, collocation);
        for (int q = 0; q < fast.Length; q++)
        {
            Assert.That(fast[q], Is.EqualTo(torchOnly[q]).Within(2e-4 * torchOnly[q]), $"point {q}: kernels against libtorch, float32");
            Assert.That(fast[q], Is.EqualTo(onModel[q]).Within(2e-4 * onModel[q]), $"point {q}: kernels against the model, float32");
        }

        // Float64: the same three paths agree to rounding, which holds the kernels to the arithmetic itself.
        model.to(ScalarType.Float64);
        (fast, torchOnly, onModel) = Landscapes(model, collocation.to_type(ScalarType.Float64));
        for (int q = 0; q < fast.Length; q++)
        {
            Assert.That(fast[q], Is.EqualTo(torchOnly[q]).Within(1e-11 * torchOnly[q]), $"point {q}: kernels against libtorch, float64");
            Assert.That(fast[q], Is.EqualTo(onModel[q]).Within(1e-11 * onModel[q]), $"point {q}: kernels against the model, float64");
        }
    }

    private static (double[] Fast, double[] TorchOnly, double[] OnModel) Landscapes(nn.Module<Tensor, Tensor> model, Tensor collocation)
    {
        Tensor Loss(IMlp mlp)
        {
            (Tensor u, Tensor residual) = mlp.ForwardWithDerivative(collocation, [5, 1]);
            return residual.square().mean([1, 2]) + u.square().mean([1, 2]);
        }

        var withKernels = new MlpLossFunction(model, Loss, requiresInputGradients: true, preferredBatchSize: 16);
        Assert.That(withKernels.HasCpuKernels, Is.True, "the kernels take this model");
        Assert.That(withKernels.WithCpuKernels(false).HasCpuKernels, Is.False);
        var directions = new RandomDirectionSampler(5).Sample(model, 2);
        double[] fast = new LandscapeSampler(withKernels).Along(directions).OnGrid(-1, 1, 9).Sample().Values.ToArray();
        double[] torchOnly = new LandscapeSampler(withKernels.WithCpuKernels(false)).Along(directions).OnGrid(-1, 1, 9).Sample().Values.ToArray();
        double[] onModel = new LandscapeSampler(withKernels).Along(directions).OnGrid(-1, 1, 9).WithBatching(false).Sample().Values.ToArray();
        return (fast, torchOnly, onModel);
    }

    [Test]
    public void CanRestoreLibTorchsThreadsAfterABatchedRunThatThrows()
    {
        // During a batched run the kernels take libtorch's threads; afterwards, also after a failure, libtorch has them back.
        int before = get_num_threads();
        set_num_threads(2);
        try
        {
            manual_seed(1);
            var model = nn.Sequential(("a", nn.Linear(2, 8)), ("t", nn.Tanh()), ("b", nn.Linear(8, 1)));
            Tensor x = rand(50, 2);
            int seen = -1;
            int batches = 0;
            var loss = new MlpLossFunction(model, mlp =>
            {
                seen = get_num_threads();
                // The second batch fails: the run is well under way, with libtorch's threads handed to the kernels.
                return mlp.MemberCount > 1 && ++batches == 2 ? throw new InvalidOperationException("loss failed") : mlp.Forward(x).square().mean([1, 2]);
            }, preferredBatchSize: 8);
            var directions = new RandomDirectionSampler(2).Sample(model, 2);
            Assert.Throws<InvalidOperationException>(() => new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 5).Sample());
            Assert.That(batches, Is.EqualTo(2), "the run failed in its second batch");
            Assert.That(seen, Is.EqualTo(1), "libtorch runs on one thread while the kernels evaluate");
            Assert.That(get_num_threads(), Is.EqualTo(2), "and has its threads back afterwards");
        }
        finally
        {
            set_num_threads(before);
        }
    }

    private static void AssertClose(Tensor actual, Tensor expected, double tolerance, string what)
    {
        double[] a = actual.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        double[] e = expected.expand_as(actual).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        Assert.That(a.Length, Is.EqualTo(e.Length), what);
        double scale = Math.Max(1, e.Max(Math.Abs));
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(e[i]).Within(tolerance * scale), $"{what}, entry {i}");
        }
    }
}
