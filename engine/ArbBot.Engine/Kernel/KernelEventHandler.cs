namespace ArbBot.Engine.Kernel;

/// <summary>Handles one event on the kernel thread (by reference: events are structs, copied once into the queue).</summary>
internal delegate void KernelEventHandler(in KernelEvent item);
