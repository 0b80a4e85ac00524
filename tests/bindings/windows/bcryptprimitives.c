/*
 * A stand-in for Windows' bcryptprimitives.dll, for Wine 8 only, which has none: Rust's standard
 * library (in etna.dll) imports ProcessPrng from it. Windows 10 and later have the real one, and
 * tests/bindings/windows.rs uses this only when the Wine prefix lacks it. Random bytes from
 * RtlGenRandom (SystemFunction036 of advapi32), which Wine does have.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
