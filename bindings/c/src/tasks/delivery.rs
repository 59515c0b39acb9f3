//! Delivering completion callbacks: on a library thread (the notifier),
//! or queued for the app's own `auth0_dispatch`.

use super::*;

pub(super) static DISPATCH_QUEUE: Mutex<VecDeque<Arc<Shared>>> = Mutex::new(VecDeque::new());

/// The thread that runs library-thread callbacks of tasks completed by a
/// cancel (the canceller's own thread may be one the callback must not run
/// on), started the first time one is needed.
pub(super) fn notifier_send(task: Arc<Shared>) {
    static NOTIFIER: OnceLock<Option<mpsc::Sender<Arc<Shared>>>> = OnceLock::new();
    let sender = NOTIFIER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Arc<Shared>>();
        std::thread::Builder::new()
            .name("auth0-notify".into())
            .spawn(move || {
                for t in rx {
                    let _ = catch_unwind(AssertUnwindSafe(|| t.run_callback()));
                }
            })
            .ok()
            .map(|_| tx)
    });
    match sender {
        Some(tx) => {
            if let Err(mpsc::SendError(t)) = tx.send(task) {
                t.run_callback();
            }
        }
        // No thread could be made: late is better than never.
        None => {
            task.run_callback();
        }
    }
}

/// Runs the callbacks queued for `AUTH0_DELIVER_ON_DISPATCH` tasks, on the
/// calling thread, in completion order: at most `max_callbacks` of them,
/// or all those queued when `max_callbacks` is 0. Returns how many ran.
///
/// Never blocks beyond the callbacks themselves; call it once per frame of
/// a game loop or UI tick. Callbacks of tasks freed since they completed
/// are skipped. Any thread may call it; each callback runs exactly once.
#[no_mangle]
pub extern "C" fn auth0_dispatch(max_callbacks: usize) -> usize {
    catch_unwind(|| {
        let limit = if max_callbacks == 0 {
            lock(&DISPATCH_QUEUE).len()
        } else {
            max_callbacks
        };
        let (mut ran, mut popped) = (0, 0);
        while ran < limit && (max_callbacks != 0 || popped < limit) {
            let Some(task) = lock(&DISPATCH_QUEUE).pop_front() else {
                break;
            };
            popped += 1;
            ran += usize::from(task.run_callback());
        }
        ran
    })
    .unwrap_or(0)
}
