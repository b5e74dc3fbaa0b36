/** First byte after the module's static data: the host allocates from here up. */
export function heap_base(): usize {
  return __heap_base;
}
