/*
 * Every network operation of the C API against the dev tenant's faults
 * (/__dev/faults): a table of operations and a table of faults, every
 * pair one case. Each case checks the status and the error JSON's code
 * and statusCode, that the call returned within its bound (a bound with a
 * margin for a loaded machine, not a speed test, and less than the late
 * answer's latency), how many requests reached the faulted endpoint (the
 * retry policy: reads retried on 502/503 and a broken connection, a 429
 * with a short Retry-After retried for every call), and that the same call
 * succeeds once the fault is gone (nothing of the failed call is left in
 * the way; a single-use user, mfa_token or identity the server spent
 * excepted). A failed renewal of the credentials manager must also leave
 * its host store's blob as it was (no save).
 *
 * This file: the faults of the connection (latency past the deadline,
 * never answering, one byte a second, a reset mid-body or before
 * answering, an oversize body). The server's wrong answers (500, 502,
 * 503, 429, an HTML or empty 200): test_net_faults_answers.c. The
 * operations: fault_ops.h; the faults and the case runner: faults.h.
 *
 * Faults: on every path, so this binary runs its own dev tenant
 * (AUTH0_TEST_DEVTENANT_BIN, exported by run.sh) rather than the shared
 * one.
 */
#define _POSIX_C_SOURCE 200809L

#include "faults.h"

TEST(latency_past_the_deadline) { run_fault(0); }
TEST(never_answering) { run_fault(1); }
TEST(one_byte_a_second) { run_fault(2); }
TEST(reset_mid_body) { run_fault(3); }
TEST(reset_before_answering) { run_fault(4); }
TEST(oversize) { run_fault(5); }

int main(int argc, char **argv) {
    static const h_test tests[] = {
        TEST_ENTRY(latency_past_the_deadline), TEST_ENTRY(never_answering),
        TEST_ENTRY(one_byte_a_second),         TEST_ENTRY(reset_mid_body),
        TEST_ENTRY(reset_before_answering),    TEST_ENTRY(oversize),
    };
    return run_fault_suite(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
