using System.Runtime.InteropServices;

namespace Larder.Arrays;

/// <summary>NumPy's <c>complex64</c>: two single-precision floats, real then imaginary (8 bytes, no padding).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Complex64(float Real, float Imaginary)
{
    public override string ToString() => $"({Real}, {Imaginary})";
}
