/*
 * Every network operation of the C API against the dev tenant's wrong
 * answers (/__dev/faults): a 500, 502 or 503, a 429 with a long
 * Retry-After, an HTML or empty 200, and a 429 with a short Retry-After
 * that the retry policy waits out. Each fault is one case of every
 * operation, with the checks test_net_faults.c describes (status, error
 * code and statusCode, bound, requests reached, the call again once the
 * fault is gone, the store left as it was). The faults of the connection:
 * test_net_faults.c. The operations: fault_ops.h; the faults and the case
 * runner: faults.h.
 *
 * Faults: on every path, so this binary runs its own dev tenant
 * (AUTH0_TEST_DEVTENANT_BIN, exported by run.sh) rather than the shared
 * one.
 */
#define _POSIX_C_SOURCE 200809L

#include "faults.h"

TEST(status_500) { run_fault(6); }
TEST(status_502) { run_fault(7); }
TEST(status_503) { run_fault(8); }
TEST(rate_limited_past_the_policy) { run_fault(9); }
TEST(html_200) { run_fault(10); }
TEST(empty_200) { run_fault(11); }
TEST(rate_limited_then_answered) { run_fault(12); }

int main(int argc, char **argv) {
    static const h_test tests[] = {
        TEST_ENTRY(status_500),       TEST_ENTRY(status_502),
        TEST_ENTRY(status_503),       TEST_ENTRY(rate_limited_past_the_policy),
        TEST_ENTRY(html_200),         TEST_ENTRY(empty_200),
        TEST_ENTRY(rate_limited_then_answered),
    };
    return run_fault_suite(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
