/* Exists only while the plugin that needs it is linked; removed afterwards. */
int ohal_absent_dependency_function(void) {
  return 0;
}
