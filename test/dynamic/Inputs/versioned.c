// A guest shared library built twice with different VERSION values for
// dlopen_loop.c: same layout, different code bytes.
int versioned_value(int x) { return x * VERSION + VERSION; }
