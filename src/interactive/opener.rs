//! Opening the login URL: the system browser, a command, or the app's own
//! opener (a closure; the C and Python layers wrap their callbacks in one).
//!
//! The URL is always passed as one argument to a program started directly,
//! never through a shell, so nothing in it is interpreted.

use crate::error::{Error, Result};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// An app-supplied opener: gets the URL, answers `Err(reason)` when it
/// could not show it. Called on the thread that runs the login.
pub type OpenUrlFn = dyn Fn(&str) -> std::result::Result<(), String> + Send + Sync;

/// How the login URL reaches the user.
#[derive(Default)]
pub enum Opener {
    /// The system's default browser: `xdg-open` (Linux and BSDs), `open`
    /// (macOS), `rundll32 url.dll,FileProtocolHandler` (Windows).
    #[default]
    System,
    /// A program and its leading arguments; the URL is appended as the
    /// last argument (e.g. `["firefox", "--new-window"]`).
    Command(Vec<String>),
    /// The app's own opener (a web view, a QR code on screen, ...).
    Callback(Box<OpenUrlFn>),
}

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Opener::System => f.write_str("Opener::System"),
            Opener::Command(c) => f.debug_tuple("Opener::Command").field(c).finish(),
            Opener::Callback(_) => f.write_str("Opener::Callback(..)"),
        }
    }
}

/// How long a launcher may take to say it failed; one still running after
/// that (some `xdg-open` setups run the browser in the foreground) is taken
/// as a success and reaped in the background.
const LAUNCH_GRACE: Duration = Duration::from_secs(3);

impl Opener {
    /// Opens `url`. An opener that fails is an invalid-argument error with
    /// code `browser_open_failed`; the URL is not repeated in it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) with
    /// code `browser_open_failed` when the opener fails or the command cannot
    /// be started.
    pub fn open(&self, url: &str) -> Result<()> {
        match self {
            Opener::Callback(f) => f(url).map_err(|r| open_failed(&r)),
            Opener::Command(argv) => {
                let (program, arguments) = argv.split_first().ok_or_else(|| {
                    Error::invalid_argument("opener command is empty")
                        .with_code("browser_open_failed")
                })?;
                launch(program, arguments, url)
            }
            Opener::System => {
                let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
                    ("open", &[])
                } else if cfg!(windows) {
                    // Not `cmd /c start`: cmd would read `&` in the URL as a
                    // command separator.
                    ("rundll32", &["url.dll,FileProtocolHandler"])
                } else {
                    ("xdg-open", &[])
                };
                let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                launch(program, &args, url)
            }
        }
    }
}

fn open_failed(reason: &str) -> Error {
    Error::invalid_argument(format!("the login URL could not be opened: {reason}"))
        .with_code("browser_open_failed")
}

fn launch(program: &str, args: &[String], url: &str) -> Result<()> {
    let mut child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| open_failed(&format!("{program} could not be started: {e}")))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(open_failed(&format!("{program} failed ({status})"))),
            Ok(None) if start.elapsed() >= LAUNCH_GRACE => {
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(e) => return Err(open_failed(&format!("{program}: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_callback_is_browser_open_failed() {
        let o = Opener::Callback(Box::new(|_| Err("no display".into())));
        let e = o.open("http://x/?code_challenge=abc").unwrap_err();
        assert_eq!(e.code(), "browser_open_failed");
        assert!(e.description().contains("no display"));
        assert!(!e.description().contains("code_challenge"));
    }

    #[cfg(unix)]
    #[test]
    fn a_command_gets_the_url_as_one_argument_without_a_shell() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("arg");
        let script = format!("printf '%s' \"$1\" > '{}'", out.display());
        let o = Opener::Command(vec!["sh".into(), "-c".into(), script, "sh".into()]);
        let url = "http://127.0.0.1:1/cb?a=1&b=$(touch /nonexistent)";
        o.open(url).unwrap();
        assert_eq!(std::fs::read_to_string(out).unwrap(), url);
    }

    #[cfg(unix)]
    #[test]
    fn a_command_that_fails_is_reported() {
        let o = Opener::Command(vec!["false".into()]);
        assert_eq!(
            o.open("http://x/").unwrap_err().code(),
            "browser_open_failed"
        );
        let o = Opener::Command(vec!["/nonexistent/opener".into()]);
        assert_eq!(
            o.open("http://x/").unwrap_err().code(),
            "browser_open_failed"
        );
    }
}
