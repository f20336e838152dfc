//! Attempt timeouts without a lock per call.
//!
//! Every attempt is bounded by a timeout, so the client arms one timer per
//! call. tokio's timer wheel sits behind one mutex that every worker
//! thread takes to arm a timer and again to disarm it; measured with two
//! workers, arming and disarming one cost about 1.5 µs, most of it waiting
//! on that lock, and it showed as the client's largest single cost against
//! raw hyper (BENCHMARKS.md). [`within`] arms a slot here instead: a fixed
//! table of atomic words that one process-wide watchdog thread scans when
//! the earliest armed deadline passes. Arming and disarming are a few
//! uncontended atomic operations. When every slot is taken, or the thread
//! cannot be started, [`within`] falls back to `tokio::time::timeout`.
//!
//! A slot fires at its deadline or a little after (the watchdog's wake-up
//! latency), never before. The watchdog sleeps until the earliest deadline
//! armed, or for a second at most; a call arming an earlier deadline wakes
//! it. After a minute with nothing armed it sleeps until the next call.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::task::{Context, Poll};
use std::thread::Thread;
use std::time::{Duration, Instant};

use futures_util::task::AtomicWaker;

/// Slots in the table: attempts in flight at once beyond this use tokio's
/// timer.
const SLOTS: usize = 1024;

/// A free slot's word. An armed slot holds `deadline << 1 | 1`, the
/// deadline in microseconds since the watchdog's start; a fired one holds
/// [`FIRED`].
const FREE: u64 = 0;
const FIRED: u64 = 2;

/// The watchdog's planned wake-up while it scans: any arming wakes it.
const SCANNING: u64 = u64::MAX;

/// The deadline of a timeout too long to represent: never reached.
const NEVER: u64 = u64::MAX >> 2;

/// The longest the watchdog sleeps while calls are being made, in the
/// slots' unit (1 s). A call arming a deadline later than the watchdog's
/// next wake-up does not wake it, so with the default timeouts (seconds) no
/// call does; were it to sleep until the next call whenever it found
/// nothing armed, every call of a client making one call at a time would
/// wake it.
const TICK_MICROS: u64 = 1_000_000;

/// Scans in a row that found nothing armed (about a minute of
/// [`TICK_MICROS`]) before the watchdog sleeps until the next call.
const IDLE_SCANS: u32 = 60;

/// The attempt did not finish in time.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Elapsed;

/// Runs `future` for at most `timeout`, counted from now.
///
/// A struct rather than an `async fn`: an `async fn` would hold `future`
/// twice in its state (as argument and as pinned local), and the attempt
/// futures it wraps are large enough for the extra copy to show.
pub(crate) fn within<F: Future>(timeout: Duration, future: F) -> Within<F> {
    let armed = watchdog().and_then(|watchdog| {
        let deadline = Instant::now()
            .checked_add(timeout)
            .map_or(NEVER, |at| watchdog.micros(at));
        let index = watchdog.arm(deadline)?;
        Some(Armed { watchdog, index })
    });
    let bound = match armed {
        Some(armed) => Bound::Slot { armed },
        None => Bound::Tokio {
            sleep: tokio::time::sleep(timeout),
        },
    };
    Within { future, bound }
}

pin_project_lite::pin_project! {
    /// The future of [`within`].
    pub(crate) struct Within<F> {
        #[pin]
        future: F,
        #[pin]
        bound: Bound,
    }
}

pin_project_lite::pin_project! {
    /// What bounds a [`Within`]: a watchdog slot, or tokio's timer when no
    /// slot is free.
    #[project = BoundProj]
    enum Bound {
        Slot { armed: Armed },
        Tokio { #[pin] sleep: tokio::time::Sleep },
    }
}

impl<F: Future> Future for Within<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(output) = this.future.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match this.bound.project() {
            BoundProj::Slot { armed } => armed.poll_fired(cx).map(Err),
            BoundProj::Tokio { sleep } => sleep.poll(cx).map(|()| Err(Elapsed)),
        }
    }
}

/// An armed slot, disarmed when dropped.
struct Armed {
    watchdog: &'static Watchdog,
    index: usize,
}

impl Armed {
    fn poll_fired(&self, cx: &mut Context<'_>) -> Poll<Elapsed> {
        let slot = &self.watchdog.slots[self.index];
        slot.waker.register(cx.waker());
        if slot.word.load(SeqCst) == FIRED {
            Poll::Ready(Elapsed)
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        self.watchdog.disarm(self.index);
    }
}

/// One slot, alone on its cache line so that attempts on different
/// threads do not contend.
#[repr(align(64))]
struct Slot {
    word: AtomicU64,
    waker: AtomicWaker,
}

struct Watchdog {
    start: Instant,
    slots: Box<[Slot]>,
    /// When the watchdog thread will next look, in the slots' unit.
    planned: AtomicU64,
    thread: Thread,
    /// Times an arming woke the thread.
    #[cfg(test)]
    unparks: AtomicU64,
}

impl Watchdog {
    fn micros(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.start).as_micros())
            .map_or(NEVER, |micros| micros.min(NEVER))
    }

    /// Takes a free slot and arms it for `deadline`.
    ///
    /// The search starts at a random slot: with far fewer attempts in
    /// flight than slots, the first one tried is almost always free, and
    /// two threads rarely touch the same slot.
    fn arm(&self, deadline: u64) -> Option<usize> {
        let word = (deadline << 1) | 1;
        let start = random_index();
        for offset in 0..SLOTS {
            let index = (start + offset) % SLOTS;
            let slot = &self.slots[index];
            if slot.word.load(SeqCst) == FREE
                && slot
                    .word
                    .compare_exchange(FREE, word, SeqCst, SeqCst)
                    .is_ok()
            {
                if deadline < self.planned.load(SeqCst) {
                    #[cfg(test)]
                    self.unparks.fetch_add(1, SeqCst);
                    self.thread.unpark();
                }
                return Some(index);
            }
        }
        None
    }

    /// Frees a slot. Its waker goes first: once the word is free another
    /// attempt may arm the slot and register its own.
    fn disarm(&self, index: usize) {
        let slot = &self.slots[index];
        drop(slot.waker.take());
        slot.word.store(FREE, SeqCst);
    }

    /// The watchdog thread: fires what is due, then sleeps until the next
    /// deadline or for a second ([`TICK_MICROS`]), whichever is sooner, or
    /// until an earlier arming. Only after [`IDLE_SCANS`] scans in a row
    /// found nothing armed does it sleep until the next call.
    fn run(&self) {
        let mut idle_scans = 0;
        loop {
            self.planned.store(SCANNING, SeqCst);
            let now = self.micros(Instant::now());
            let mut next = u64::MAX;
            for slot in self.slots.iter() {
                let word = slot.word.load(SeqCst);
                if word & 1 == 0 {
                    continue;
                }
                let deadline = word >> 1;
                if deadline > now {
                    next = next.min(deadline);
                } else if slot
                    .word
                    .compare_exchange(word, FIRED, SeqCst, SeqCst)
                    .is_ok()
                {
                    slot.waker.wake();
                }
            }
            idle_scans = if next == u64::MAX { idle_scans + 1 } else { 0 };
            if idle_scans >= IDLE_SCANS {
                self.planned.store(u64::MAX, SeqCst);
                std::thread::park();
                idle_scans = 0;
                continue;
            }
            let wake = next.min(now.saturating_add(TICK_MICROS));
            self.planned.store(wake, SeqCst);
            std::thread::park_timeout(Duration::from_micros(wake - now));
        }
    }
}

/// A slot index from a per-thread xorshift generator.
fn random_index() -> usize {
    thread_local! {
        static STATE: Cell<u64> = Cell::new(seed());
    }
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        (x % SLOTS as u64) as usize
    })
}

/// A nonzero seed that differs between threads.
fn seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::thread::current().id()) | 1
}

/// The process's watchdog, started on first use; `None` when its thread
/// cannot be started.
fn watchdog() -> Option<&'static Watchdog> {
    static WATCHDOG: OnceLock<Option<&'static Watchdog>> = OnceLock::new();
    *WATCHDOG.get_or_init(Watchdog::start)
}

impl Watchdog {
    /// A new table of slots and the thread that watches it.
    fn start() -> Option<&'static Watchdog> {
        let (sender, receiver) = std::sync::mpsc::channel::<&'static Watchdog>();
        let spawned = std::thread::Builder::new()
            .name("dynamo-deadlines".into())
            .spawn(move || {
                if let Ok(watchdog) = receiver.recv() {
                    watchdog.run();
                }
            })
            .ok()?;
        let slots = (0..SLOTS)
            .map(|_| Slot {
                word: AtomicU64::new(FREE),
                waker: AtomicWaker::new(),
            })
            .collect();
        let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
            start: Instant::now(),
            slots,
            planned: AtomicU64::new(SCANNING),
            thread: spawned.thread().clone(),
            #[cfg(test)]
            unparks: AtomicU64::new(0),
        }));
        sender.send(watchdog).ok()?;
        Some(watchdog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generous: these check that a timeout fires, not how promptly.
    const SLACK: Duration = Duration::from_secs(3);

    /// Held by every test that arms the process's watchdog: one of them
    /// takes every slot, and a slot another test frees meanwhile would
    /// make it find one free.
    static ALL_SLOTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    #[tokio::test]
    async fn a_finished_future_is_ok_and_frees_its_slot() {
        let _all = ALL_SLOTS.lock().await;
        for i in 0..3 {
            assert_eq!(
                within(Duration::from_secs(30), async move { i }).await,
                Ok(i)
            );
        }
        // Twice as many slots armed and disarmed as there are: each one
        // was given back.
        let watchdog = watchdog().expect("the watchdog thread starts");
        for _ in 0..2 * SLOTS {
            let index = watchdog.arm(NEVER).expect("a free slot");
            watchdog.disarm(index);
        }
    }

    #[test]
    fn calls_one_at_a_time_do_not_wake_the_watchdog() {
        // A watchdog of this test's own: the process's is shared with the
        // other tests.
        let watchdog = Watchdog::start().expect("the watchdog thread starts");
        let in_30s = || watchdog.micros(Instant::now() + Duration::from_secs(30));
        // The first arming wakes it, and its scan then finds nothing armed.
        let index = watchdog.arm(in_30s()).expect("a free slot");
        watchdog.disarm(index);
        std::thread::sleep(Duration::from_millis(50));
        let before = watchdog.unparks.load(SeqCst);
        // It now sleeps a second at most, so a call with a later deadline,
        // armed while nothing else is, does not wake it.
        for _ in 0..200 {
            let index = watchdog.arm(in_30s()).expect("a free slot");
            watchdog.disarm(index);
        }
        assert_eq!(watchdog.unparks.load(SeqCst), before);
        // An earlier deadline than its next wake-up does wake it.
        let soon = watchdog.micros(Instant::now() + Duration::from_millis(10));
        let index = watchdog.arm(soon).expect("a free slot");
        watchdog.disarm(index);
        assert_eq!(watchdog.unparks.load(SeqCst), before + 1);
    }

    #[tokio::test]
    async fn a_pending_future_times_out_at_its_deadline_not_before() {
        let _all = ALL_SLOTS.lock().await;
        let timeout = Duration::from_millis(150);
        let start = Instant::now();
        let out = within(timeout, std::future::pending::<()>()).await;
        let waited = start.elapsed();
        assert_eq!(out, Err(Elapsed));
        assert!(waited >= timeout, "fired early, after {waited:?}");
        assert!(waited < timeout + SLACK, "fired late, after {waited:?}");
    }

    #[tokio::test]
    async fn an_earlier_deadline_armed_later_still_fires_first() {
        let _all = ALL_SLOTS.lock().await;
        // The watchdog sleeps until the long deadline, then is woken for
        // the short one.
        let long = tokio::spawn(within(
            Duration::from_secs(60),
            std::future::pending::<()>(),
        ));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let start = Instant::now();
        let out = within(Duration::from_millis(100), std::future::pending::<()>()).await;
        assert_eq!(out, Err(Elapsed));
        assert!(start.elapsed() < Duration::from_millis(100) + SLACK);
        long.abort();
    }

    #[tokio::test]
    async fn with_every_slot_taken_tokio_s_timer_bounds_the_call() {
        let _all = ALL_SLOTS.lock().await;
        let mut held = Vec::new();
        for _ in 0..SLOTS {
            let mut call = Box::pin(within(
                Duration::from_secs(60),
                std::future::pending::<()>(),
            ));
            assert!(futures_util::poll!(call.as_mut()).is_pending());
            held.push(call);
        }
        let watchdog = watchdog().expect("the watchdog thread starts");
        assert_eq!(watchdog.arm(NEVER), None, "every slot is taken");
        let start = Instant::now();
        let out = within(Duration::from_millis(100), std::future::pending::<()>()).await;
        assert_eq!(out, Err(Elapsed));
        assert!(start.elapsed() < Duration::from_millis(100) + SLACK);
        drop(held);
        assert_eq!(within(Duration::from_secs(1), async { 7 }).await, Ok(7));
    }
}
