namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Files that hold keys or trading state are the owner's alone: created readable and writable by
/// the owner only, and a key file that others can read is refused, as ssh refuses one. No effect
/// where the platform has no Unix permissions.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Opens a new file (replacing any) that only its owner can read and write.</summary>
    public static FileStream Create(string path, FileShare share = FileShare.Read, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerOnly); // an existing file keeps its mode through FileMode.Create
            }
        }

        return new FileStream(path, options);
    }

    /// <summary>Makes sure a file that exists (or is created now, empty) can be read and written by its owner only.</summary>
    public static void EnsureOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
            {
            }

            return;
        }

        if ((File.GetUnixFileMode(path) & Others) != 0)
        {
            try
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's file (a report read from a shared copy): it is not ours to tighten.
            }
        }
    }

    /// <summary>
    /// Null when a key file is readable by its owner only; otherwise why it is refused, naming the
    /// file, its mode and the fix.
    /// </summary>
    public static string? ReadableByOthers(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return null;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        return (mode & Others) == 0
            ? null
            : $"{path} can be read or changed by other users (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}): a key must be the owner's alone; run chmod 600 {path}";
    }
}
