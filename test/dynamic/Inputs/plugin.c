// A guest shared library that dyn_libs.c loads with dlopen.
int plugin_value(int x) { return x * 6 + 1; }
const char *plugin_name = "plugin";
