// One file, two users: the build step of LossLandscape.Topology.Torch.targets (compiled by MSBuild's
// RoslynCodeTaskFactory, as the task class below) and the library itself (compiled with
// LOSSLANDSCAPE_TORCH_LIBRARY, for the check at first use). Plain byte[] code so that both compilers take it.
#nullable enable
using System;
using System.IO;
using System.Text;

#if !LOSSLANDSCAPE_TORCH_LIBRARY
/// <summary>
/// MSBuild task: on a machine whose libstdc++ lacks <see cref="Version"/>, marks that one version requirement weak
/// in the given copies of TorchSharp's libLibTorchSharp.so (the symbol behind it is never called).
/// </summary>
public sealed class LossLandscapeWeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = string.Empty;

    public override bool Execute()
    {
        string? system = GlibcxxRequirement.SystemLibStdCxx();
        if (system == null || GlibcxxRequirement.Provides(system, Version))
        {
            return true;
        }

        foreach (Microsoft.Build.Framework.ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            byte[] data = File.ReadAllBytes(path);
            if (GlibcxxRequirement.Visit(data, Version, weaken: true) > 0)
            {
                File.WriteAllBytes(path, data);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "LossLandscape.Topology.Torch: " + system + " lacks " + Version + "; marked that requirement weak in " + path);
            }
        }

        return true;
    }
}
#endif

/// <summary>Reads (and, for the build step, weakens) a 64-bit little-endian ELF file's GLIBCXX version requirements.</summary>
internal static class GlibcxxRequirement
{
    private static readonly string[] Candidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6",
    };

    /// <summary>The libstdc++ the loader will use: one on LD_LIBRARY_PATH first, else the system's; null if none is found.</summary>
    public static string? SystemLibStdCxx()
    {
        string? paths = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(paths))
        {
            foreach (string folder in paths!.Split(':'))
            {
                if (folder.Length > 0 && File.Exists(Path.Combine(folder, "libstdc++.so.6")))
                {
                    return Path.Combine(folder, "libstdc++.so.6");
                }
            }
        }

        foreach (string c in Candidates)
        {
            if (File.Exists(c))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Whether the library at <paramref name="libstdcxx"/> defines the version (e.g. GLIBCXX_3.4.32).</summary>
    public static bool Provides(string libstdcxx, string version)
        => IndexOf(File.ReadAllBytes(libstdcxx), Encoding.ASCII.GetBytes(version + "\0")) >= 0;

    /// <summary>Whether the ELF file at <paramref name="path"/> needs <paramref name="version"/> without the weak flag.</summary>
    public static bool RequiresStrongly(string path, string version) => Visit(File.ReadAllBytes(path), version, weaken: false) > 0;

    /// <summary>
    /// Counts the Vernaux entries named <paramref name="version"/> without VER_FLG_WEAK (0x2) in every
    /// SHT_GNU_verneed section; with <paramref name="weaken"/>, sets the flag on them in <paramref name="d"/>.
    /// A file that is not a 64-bit little-endian ELF file counts 0.
    /// </summary>
    public static int Visit(byte[] d, string version, bool weaken)
    {
        byte[] name = Encoding.ASCII.GetBytes(version);
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2 || d[5] != 1)
        {
            return 0;
        }

        long shoff = BitConverter.ToInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A);
        int shnum = BitConverter.ToUInt16(d, 0x3C);
        int found = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + ((long)s * shentsize);
            if (BitConverter.ToUInt32(d, (int)sh + 4) != 0x6ffffffe)
            {
                continue;
            }

            long offset = BitConverter.ToInt64(d, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(d, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(d, (int)sh + 0x2C);
            long strings = BitConverter.ToInt64(d, (int)(shoff + ((long)link * shentsize)) + 0x18);
            long pos = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(d, (int)pos + 2);
                long aux = pos + BitConverter.ToUInt32(d, (int)pos + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int flags = BitConverter.ToUInt16(d, (int)aux + 4);
                    long text = strings + BitConverter.ToUInt32(d, (int)aux + 8);
                    bool match = d[text + name.Length] == 0;
                    for (int k = 0; match && k < name.Length; k++)
                    {
                        match = d[text + k] == name[k];
                    }

                    if (match && (flags & 2) == 0)
                    {
                        found++;
                        if (weaken)
                        {
                            d[aux + 4] = (byte)((flags | 2) & 0xff);
                            d[aux + 5] = (byte)((flags | 2) >> 8);
                        }
                    }

                    aux += BitConverter.ToUInt32(d, (int)aux + 12);
                }

                uint next = BitConverter.ToUInt32(d, (int)pos + 12);
                if (next == 0)
                {
                    break;
                }

                pos += next;
            }
        }

        return found;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && haystack[i + k] == needle[k])
            {
                k++;
            }

            if (k == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
