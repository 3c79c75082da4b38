//! Progress on stderr: a bar or spinner when stderr is a terminal, plain lines otherwise (so
//! that CI logs get a readable record instead of control codes).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress display; all output goes to stderr.
pub struct Progress {
    /// The bar or spinner, on a terminal only.
    bar: Option<ProgressBar>,
    /// The last status shown as a plain line, so that a line is printed only on a change.
    last: std::sync::Mutex<String>,
}

impl Progress {
    /// A download of `total` bytes (unknown: a byte counter with a spinner).
    pub fn download(total: Option<u64>, terminal: bool) -> Self {
        let bar = terminal.then(|| {
            let (bar, template) = match total {
                Some(total) => (
                    ProgressBar::new(total),
                    "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {elapsed}",
                ),
                None => (
                    ProgressBar::no_length(),
                    "{spinner} {bytes} {bytes_per_sec} {elapsed}",
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            last: std::sync::Mutex::new(String::new()),
        }
    }

    /// A spinner with the elapsed time and a status text, while waiting.
    pub fn spinner(terminal: bool, status: &str) -> Self {
        let bar = terminal.then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
                bar.set_style(style);
            }
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let progress = Progress {
            bar,
            last: std::sync::Mutex::new(String::new()),
        };
        progress.status(status);
        progress
    }

    /// Counts `bytes` more.
    pub fn inc(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    /// Shows `status`: on the spinner, or as a plain line when it changed.
    pub fn status(&self, status: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(status.to_owned()),
            None => {
                let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
                if *last != status {
                    eprintln!("{status}");
                    status.clone_into(&mut last);
                }
            }
        }
    }

    /// Removes the bar and prints `line`.
    pub fn finish(&self, line: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        eprintln!("{line}");
    }

    /// Removes the bar without a line.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
