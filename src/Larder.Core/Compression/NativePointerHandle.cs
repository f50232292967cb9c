using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// Owns a pointer from a native library (a context or state), invalid while zero; subclasses free it in
/// <see cref="SafeHandle.ReleaseHandle"/>.
/// </summary>
internal abstract class NativePointerHandle : SafeHandle
{
    private protected NativePointerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public sealed override bool IsInvalid => handle == IntPtr.Zero;
}
