/*
 * Test-support shim, NEVER shipped: built by tests/windows/smoke.sh into the temporary folder
 * where runbook.exe runs under Wine, and nowhere else.
 *
 * Why it exists: since Rust 1.78 the standard library on Windows gets its random bytes (HashMap
 * seeds, etc.) from `ProcessPrng` in bcryptprimitives.dll, which every supported Windows (10 and
 * later) has. Wine 8, the version Debian packages, has no bcryptprimitives.dll, so any Rust
 * program fails to start under it with STATUS_DLL_NOT_FOUND (c0000135). Windows loads a DLL from
 * the application's folder first, so this one, placed next to the .exe, provides `ProcessPrng`
 * by forwarding to advapi32's `SystemFunction036` (RtlGenRandom), which Wine does implement.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 * (x64 has one calling convention and no name decoration, so no .def file is needed.)
 */
#include <windows.h>

/* RtlGenRandom; ntsecapi.h only declares it behind a macro, so declare it plainly. */
__declspec(dllimport) BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Same signature as the real export: BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData); always TRUE. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            /* The real ProcessPrng never fails and Rust ignores its result, so returning FALSE
             * would hand out unfilled bytes: stop the process instead (exit code 0x5EED). */
            ExitProcess(0x5EED);
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst;
    (void)reason;
    (void)reserved;
    return TRUE;
}
