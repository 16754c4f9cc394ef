//! The rebuild thread: coalesce watcher events, rebuild, tell the tabs.

use super::*;

pub(super) struct Rebuilder {
    pub(super) root: PathBuf,
    pub(super) out: PathBuf,
    pub(super) build_opts: BuildOptions,
    pub(super) preview: Arc<Preview>,
    /// `out` is serve's own temporary folder, kept private after every rebuild.
    pub(super) private: bool,
    pub(super) shared: Arc<Shared>,
    pub(super) rebuilds: Arc<AtomicU64>,
    pub(super) subscribers: Subscribers,
    pub(super) log: bool,
    /// Watches an input folder again when it is made anew.
    pub(super) rewatcher: watch::Rewatcher,
}

impl Rebuilder {
    pub(super) fn run(self, rx: Receiver<DebounceEventResult>) {
        while let Ok(first) = rx.recv() {
            let mut events = Vec::new();
            self.collect(first, &mut events);
            // Batches that follow within COALESCE belong to the same burst (one `git
            // checkout`, one search-and-replace): one rebuild for all of them. The render
            // runs while that window is open; the site is written only once it has closed
            // with nothing new, else rendered again with everything (so a single save does
            // not wait for the window before rendering).
            let mut until = Instant::now() + COALESCE;
            loop {
                let changed = watch::changed_inputs(&self.root, &self.out, &events);
                let mut burst = || self.wait_out(&rx, &mut until, &mut events);
                let again = if changed.is_empty() {
                    burst()
                } else {
                    self.rebuild(changed, &mut burst)
                };
                if !again {
                    break;
                }
            }
        }
    }

    /// Waits until the burst window closes; `true` when inputs changed meanwhile (their
    /// events join `events` and the window starts again from the last of them). Events
    /// that change no input (the render reading the files) do not count.
    fn wait_out(
        &self,
        rx: &Receiver<DebounceEventResult>,
        until: &mut Instant,
        events: &mut Vec<notify_debouncer_full::DebouncedEvent>,
    ) -> bool {
        let mut more = false;
        loop {
            match rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(batch) => {
                    let mut batch_events = Vec::new();
                    self.collect(batch, &mut batch_events);
                    if !watch::changed_inputs(&self.root, &self.out, &batch_events).is_empty() {
                        events.extend(batch_events);
                        *until = Instant::now() + COALESCE;
                        more = true;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return more,
            }
        }
    }

    fn collect(
        &self,
        batch: DebounceEventResult,
        events: &mut Vec<notify_debouncer_full::DebouncedEvent>,
    ) {
        match batch {
            Ok(evs) => {
                if std::env::var_os("MAILSITE_DEBUG_WATCH").is_some() {
                    eprintln!("watch: {evs:?}");
                }
                self.rewatcher.renew(&self.root, &evs);
                events.extend(evs)
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watching: {e}");
                }
            }
        }
    }

    /// Renders, lets `burst` wait out the burst window, then writes and tells the tabs;
    /// `true` when the burst went on (nothing written or reported: render again).
    fn rebuild(&self, changed: Vec<PathBuf>, burst: &mut dyn FnMut() -> bool) -> bool {
        let start = Instant::now();
        let mut more = false;
        let gate = || {
            more = burst();
            if more {
                None
            } else {
                self.preview.writer()
            }
        };
        let result = match build_gated(&self.build_opts, gate) {
            Ok(Some(_)) => Ok(start.elapsed()),
            Ok(None) => return more,
            Err(problems) => {
                if burst() {
                    return true;
                }
                Err(problems)
            }
        };
        if self.preview.is_closed() {
            // Stopped during the render: nothing to report after "stopping".
            return false;
        }
        if self.private && result.is_ok() {
            // The served folder was just replaced by the build's staging folder, created
            // with the default mode. Nothing in it was reachable meanwhile (the temporary
            // folder around it is private); if serve stopped meanwhile, it is gone and
            // there is nothing to protect.
            let _ = preview::make_private(&self.out);
        }
        let css_only = changed
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        let number = self.rebuilds.fetch_add(1, Ordering::SeqCst) + 1;
        let had_errors;
        let generation = {
            let mut st = self
                .shared
                .status
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            had_errors = !st.errors.is_empty();
            st.generation += 1;
            st.errors = result.clone().err().unwrap_or_default();
            self.shared.generation_of(st.generation)
        };
        let css_only = css_only && result.is_ok() && !had_errors;
        // Reload after a failure too: that is how the overlay appears.
        let msg = if css_only {
            SseMsg::Css(generation)
        } else {
            SseMsg::Reload(generation)
        };
        let _ = self.shared.sse.send(msg);
        if self.log {
            println!("{}", describe(&changed, &result));
            if let Err(problems) = &result {
                eprint!("{problems}");
            }
        }
        let event = RebuildEvent {
            number,
            changed,
            result,
            css_only,
        };
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|tx| tx.send(event.clone()).is_ok());
        false
    }
}

/// The one terminal line for a rebuild.
pub fn describe(changed: &[PathBuf], result: &Result<Duration, Diagnostics>) -> String {
    let what = match changed {
        [one] => crate::diag::display_path(one),
        [first, rest @ ..] => format!(
            "{} and {} more",
            crate::diag::display_path(first),
            rest.len()
        ),
        [] => "nothing".to_string(),
    };
    match result {
        Ok(t) => format!("changed {what}: rebuilt in {} ms", t.as_millis()),
        Err(p) => format!(
            "changed {what}: build FAILED with {} problem(s); still serving the last good build:",
            p.len()
        ),
    }
}
