/*
 * Helpers of the interactive C tests (test_interactive.c, test_device.c):
 * a monotonic clock in ms, a sleep, and a canceller that cancels an
 * auth0_cancel from its own pthread after a delay.
 */
#ifndef AUTH0_TEST_INTERACTIVE_H
#define AUTH0_TEST_INTERACTIVE_H

#include <pthread.h>
#include <time.h>

#include "harness.h"
#include "devtenant.h"

static inline double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static inline void sleep_ms(long ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Cancels `cancel` after `delay_ms`, from its own pthread. */
typedef struct {
    pthread_t thread;
    const auth0_cancel *cancel;
    long delay_ms;
    double cancelled_at; /* now_ms() when it cancelled */
} canceller;

static inline void *canceller_main(void *arg) {
    canceller *c = (canceller *)arg;
    sleep_ms(c->delay_ms);
    c->cancelled_at = now_ms();
    auth0_cancel_cancel(c->cancel);
    return NULL;
}

static inline int canceller_start(canceller *c, const auth0_cancel *cancel, long delay_ms) {
    memset(c, 0, sizeof *c);
    c->cancel = cancel;
    c->delay_ms = delay_ms;
    return pthread_create(&c->thread, NULL, canceller_main, c) == 0;
}

#endif
