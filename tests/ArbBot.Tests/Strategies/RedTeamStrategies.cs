namespace ArbBot.Tests.Strategies;

/// <summary>
/// Strategies written by an attacker or a careless author, by category, several variants each.
/// <see cref="Refused"/> must not compile into the engine (the compiler or the allow-list refuses
/// them, naming the line); <see cref="Contained"/> compile but the engine must survive them.
/// The attack goes where <c>ATTACK</c> is, inside a strategy's book update; class-level attacks
/// (members) replace <c>MEMBERS</c>.
/// </summary>
public static class RedTeamStrategies
{
    public const string Template = """
        public sealed class Attack : IStrategy
        {
            MEMBERS
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                ATTACK
            }
        }
        """;

    /// <summary>(category, name, attack in OnBookUpdate, members).</summary>
    public static readonly (string Category, string Name, string Attack, string Members)[] Refused =
    [
        ("files", "xml document load", """new System.Xml.XmlDocument().Load("/etc/passwd");""", ""),
        ("files", "xml writer create", """System.Xml.XmlWriter.Create("/tmp/arbbot-redteam.xml").Flush();""", ""),
        ("files", "file read", """var text = System.IO.File.ReadAllText("/etc/passwd");""", ""),
        ("files", "private file create", """ArbBot.Abstractions.Plugins.PrivateFiles.Create("/tmp/arbbot-redteam").Dispose();""", ""),
        ("files", "directory listing", """var all = System.IO.Directory.GetFiles("/");""", ""),
        ("network", "xml reader url", """System.Xml.XmlReader.Create("http://127.0.0.1:9/").Read();""", ""),
        ("network", "http client", """new System.Net.Http.HttpClient().GetStringAsync("http://127.0.0.1:9/");""", ""),
        ("network", "dns", """var host = System.Net.Dns.GetHostName();""", ""),
        ("network", "socket", """new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);""", ""),
        ("threads", "system timer", """new System.Timers.Timer(10).Start();""", ""),
        ("threads", "threading timer", """new System.Threading.Timer(_ => { }, null, 0, 10);""", ""),
        ("threads", "thread", """new System.Threading.Thread(() => { }).Start();""", ""),
        ("threads", "task run", """System.Threading.Tasks.Task.Run(() => { });""", ""),
        ("threads", "thread pool", """System.Threading.ThreadPool.QueueUserWorkItem(_ => { });""", ""),
        ("threads", "parallel", """System.Threading.Tasks.Parallel.For(0, 10, i => { });""", ""),
        ("threads", "sleep", """System.Threading.Thread.Sleep(1000);""", ""),
        ("process", "process start", """System.Diagnostics.Process.Start("sh");""", ""),
        ("process", "environment exit", """System.Environment.Exit(1);""", ""),
        ("process", "environment variable", """var secret = System.Environment.GetEnvironmentVariable("KALSHI_API_KEY_ID");""", ""),
        ("process", "app context switch", """System.AppContext.SetSwitch("System.Net.Http.UseSocketsHttpHandler", false);""", ""),
        ("process", "gc", """System.GC.Collect();""", ""),
        ("process", "console", """System.Console.WriteLine("hello");""", ""),
        ("process", "unhandled exception hook", """System.AppDomain.CurrentDomain.UnhandledException += (s, e) => { };""", ""),
        ("reflection", "assembly of a type", """var types = typeof(string).Assembly.GetTypes();""", ""),
        ("reflection", "get method", """var m = GetType().GetMethod("OnBookUpdate");""", ""),
        ("reflection", "type by name", """var t = Type.GetType("System.IO.File");""", ""),
        ("reflection", "activator", """var o = Activator.CreateInstance(typeof(object));""", ""),
        ("reflection", "delegate method", """Func<int> f = () => 1; var m = f.Method;""", ""),
        ("reflection", "expression trees", """var call = System.Linq.Expressions.Expression.Call(System.Linq.Expressions.Expression.Constant("x"), "GetType", null);""", ""),
        ("reflection", "json deserialize", """var o = System.Text.Json.JsonSerializer.Deserialize<object>("{}");""", ""),
        ("reflection", "assembly load", """System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath("/tmp/x.dll");""", ""),
        ("memory", "unsafe add", """int x = 0; System.Runtime.CompilerServices.Unsafe.Add(ref x, 1_000_000) = 1;""", ""),
        ("memory", "marshal write", """System.Runtime.InteropServices.Marshal.WriteInt32(IntPtr.Zero, 1);""", ""),
        ("memory", "unsafe block", """unsafe { int* p = null; *p = 1; }""", ""),
        ("memory", "huge stackalloc", """Span<byte> big = stackalloc byte[100_000_000]; big[0] = 1;""", ""),
        ("memory", "extern call", """Getpid();""", """[System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getpid")] private static extern int Getpid();"""),
        ("memory", "unsafe member", """Poke();""", """private static unsafe void Poke() { int* p = null; *p = 1; }"""),
        ("finalizer", "throwing finalizer", "", """~Attack() { throw new InvalidOperationException("boom"); }"""),
        ("finalizer", "resurrecting finalizer", "", """private static Attack? s_alive; ~Attack() { s_alive = this; }"""),
        ("regex", "catastrophic backtracking", """bool hit = System.Text.RegularExpressions.Regex.IsMatch(new string('a', 40) + "!", "^(a+)+$");""", ""),
        ("regex", "regex object", """var r = new System.Text.RegularExpressions.Regex("(x+x+)+y");""", ""),
        ("budget", "end own budget", """ScriptBudget.End(); while (true) { }""", ""),
        ("budget", "exceed another call", """ScriptBudget.Exceed(0);""", ""),
    ];

    /// <summary>
    /// Compiles, and no budget check can stop it: one call into the base library that never returns
    /// (its lambdas have no body to check). The kernel watchdog must end the run (exit 3, halted).
    /// </summary>
    public static readonly (string Category, string Name, string Attack, string Members) StuckKernel =
        ("stuck", "a base library call that never returns", """long n = Enumerable.Range(0, int.MaxValue).SelectMany(_ => Enumerable.Range(0, int.MaxValue)).LongCount();""", "");

    /// <summary>(category, name, attack in OnBookUpdate, members): they compile; the engine must contain them.</summary>
    public static readonly (string Category, string Name, string Attack, string Members)[] Contained =
    [
        ("recursion", "unbounded recursion", """Deep(0);""", """private static int Deep(int n) { return Deep(n + 1) + 1; }"""),
        ("recursion", "expression-bodied recursion", """Deeper(0);""", """private static int Deeper(int n) => Deeper(n + 1) + 1;"""),
        ("loops", "endless loop", """while (true) { }""", ""),
        ("errors", "throws every call", """throw new InvalidOperationException("always");""", ""),
        ("memory", "static list growing 20 MB a call", """s_hoard.Add(new byte[20_000_000]);""", """private static readonly List<byte[]> s_hoard = new();"""),
    ];

    public static string Source((string Category, string Name, string Attack, string Members) attack) =>
        Template.Replace("MEMBERS", attack.Members, StringComparison.Ordinal).Replace("ATTACK", attack.Attack, StringComparison.Ordinal);
}
