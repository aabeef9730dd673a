// The two C library functions GaussianPolicy needs, declared for the bare Embedded Swift build of
// scripts/aarch64-check (which has no Glibc module); the aarch64 C library supplies them at link time.
float expf(float);
float logf(float);
