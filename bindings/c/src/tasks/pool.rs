//! The bounded worker pool every task runs on (`auth0_task_pool_start`),
//! started on first use, and the warm-up of a new handle on a worker.

use super::*;

type Job = Box<dyn FnOnce() + Send>;

struct PoolState {
    jobs: VecDeque<Job>,
    live: usize,
    target: usize,
    started: bool,
}

static POOL: Mutex<PoolState> = Mutex::new(PoolState {
    jobs: VecDeque::new(),
    live: 0,
    target: DEFAULT_THREADS,
    started: false,
});
static WORK: Condvar = Condvar::new();
const DEFAULT_THREADS: usize = 4;
const MAX_THREADS: usize = 64;

/// Starts workers up to the target; the first start also queues the
/// process-wide TLS warm-up. Errors only when no worker could be started.
fn grow(p: &mut PoolState) -> Result<(), Error> {
    if !p.started {
        p.started = true;
        p.jobs.push_front(Box::new(auth0_native::warm_up));
    }
    while p.live < p.target {
        let spawned = std::thread::Builder::new()
            .name("auth0-task".into())
            .spawn(worker);
        match spawned {
            Ok(_) => p.live += 1,
            Err(e) if p.live == 0 => {
                return Err(Error::internal(format!(
                    "no task worker thread could be started: {e}"
                )))
            }
            Err(_) => break,
        }
    }
    Ok(())
}

fn worker() {
    let mut p = lock(&POOL);
    loop {
        if p.live > p.target {
            p.live -= 1;
            return;
        }
        match p.jobs.pop_front() {
            Some(job) => {
                drop(p);
                // A job contains its own panics; this is the last line.
                let _ = catch_unwind(AssertUnwindSafe(job));
                p = lock(&POOL);
            }
            None => p = WORK.wait(p).unwrap_or_else(|e| e.into_inner()),
        }
    }
}

pub(super) fn submit(job: Job) -> Result<(), Error> {
    let mut p = lock(&POOL);
    grow(&mut p)?;
    p.jobs.push_back(job);
    drop(p);
    WORK.notify_one();
    Ok(())
}

/// Sets the number of worker threads that run tasks (default 4, at most
/// 64) and starts them now. Starting the pool also moves TLS set-up off the
/// caller's threads: the process-wide part (the TLS provider, the system's
/// root certificates) runs on a worker at once, and from then on every
/// `auth0_webauth_new` / `auth0_management_new` builds the new handle's
/// HTTP client on a worker, so that its first request — blocking call or
/// task — finds it ready. Call it early (at program start) for that
/// benefit; without it the pool starts with the first task.
///
/// At most `threads` tasks run at once; others wait in a queue. A task
/// blocked in an HTTP request occupies its worker until the request ends,
/// even when cancelled (see `auth0_task_cancel`). Shrinking takes effect as
/// busy workers finish. `threads` 0 or above 64 is
/// `AUTH0_ERROR_INVALID_ARGUMENT`; `AUTH0_ERROR_INTERNAL` when no thread
/// could be started. Thread-safe.
#[no_mangle]
pub extern "C" fn auth0_task_pool_start(threads: usize) -> auth0_status {
    run_with_error(std::ptr::null_mut(), || {
        if threads == 0 || threads > MAX_THREADS {
            return Err(Error::invalid_argument(format!(
                "threads must be 1 to {MAX_THREADS}, not {threads}"
            )));
        }
        let mut p = lock(&POOL);
        p.target = threads;
        grow(&mut p)?;
        drop(p);
        // Surplus workers notice and leave.
        WORK.notify_all();
        Ok(())
    })
}

/// Builds the HTTP client of the handle `p` just made on a worker, when
/// the pool runs (`auth0_task_pool_start` was called, or a task started):
/// its first request, on whatever thread, then finds the TLS setup done.
pub(crate) fn warm_up_handle<H: Handle>(p: *const H, warm: fn(&H)) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let mut pool = lock(&POOL);
        if !pool.started {
            return;
        }
        let Some(h) = handles::get(p) else { return };
        pool.jobs.push_back(Box::new(move || warm(&h)));
        drop(pool);
        WORK.notify_one();
    }));
}
