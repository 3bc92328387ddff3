/* Huge pages for an import's large arrays. A bulk import touches
 * arrays of hundreds of megabytes in random order (the key map's slots,
 * the buffered ties): with 4 KiB pages nearly every access misses the
 * TLB as well as the cache, and every page costs a fault on first
 * touch. Where the kernel grants transparent huge pages only on request
 * (the default "madvise" setting), asking for them took the people file
 * of a 1M-people import from 6.0 to 4.75 s. Only for such arrays: one a
 * query touches here and there would cost 2 MiB of zeroing a touch
 * (providers k=1 at 1M went from 0.014 to 0.049 ms when every array
 * nr_grow made was advised). The advice is only advice: an unknown
 * request, or a kernel that refuses it, changes nothing. */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/* Below this an array gains little and would split the heap's mapping
 * into many small pieces. */
#define NR_HUGE_MIN ((size_t)4 << 20)
#define NR_HUGE_PAGE ((uintptr_t)2 << 20)

void nr_advise_huge(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (!p || bytes < NR_HUGE_MIN)
    return;
  /* Only whole huge pages inside the array: the memory around it may be
   * another allocation's. */
  uintptr_t start = ((uintptr_t)p + NR_HUGE_PAGE - 1) & ~(NR_HUGE_PAGE - 1);
  uintptr_t end = ((uintptr_t)p + bytes) & ~(NR_HUGE_PAGE - 1);
  if (end > start)
    (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}
