//! Work counters of the solver on the current thread: dual evaluations, share LPs and their
//! pivots, KKT solves of the local model. They change no number; they say where a solve spends
//! its effort (`examples/path_profile.rs`) and let tests bound it. Thread-local, so the two
//! chains of a path ([`crate::path::solve_path`]) count separately.

use std::cell::Cell;

/// A snapshot of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// `D(α)` evaluations ([`crate::dual::DualProblem::evaluate`]).
    pub evaluations: u64,
    /// Share LPs solved ([`crate::solver::recovery`]).
    pub share_lps: u64,
    /// Their rows, summed.
    pub lp_rows: u64,
    /// Their columns, summed.
    pub lp_columns: u64,
    /// Their simplex pivots, summed.
    pub lp_pivots: u64,
    /// KKT systems of the local model solved ([`crate::solver::local_model`]).
    pub kkt_solves: u64,
    /// Their sizes, summed.
    pub kkt_size: u64,
    /// Local models built.
    pub models: u64,
}

thread_local! {
    static COUNTS: Cell<Counts> = const { Cell::new(Counts {
        evaluations: 0, share_lps: 0, lp_rows: 0, lp_columns: 0, lp_pivots: 0, kkt_solves: 0, kkt_size: 0, models: 0,
    }) };
}

/// The counters of this thread so far.
pub fn snapshot() -> Counts {
    COUNTS.with(Cell::get)
}

/// Applies `f` to this thread's counters.
pub(crate) fn bump(f: impl FnOnce(&mut Counts)) {
    COUNTS.with(|c| {
        let mut v = c.get();
        f(&mut v);
        c.set(v);
    });
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, o: Counts) -> Counts {
        Counts {
            evaluations: self.evaluations - o.evaluations,
            share_lps: self.share_lps - o.share_lps,
            lp_rows: self.lp_rows - o.lp_rows,
            lp_columns: self.lp_columns - o.lp_columns,
            lp_pivots: self.lp_pivots - o.lp_pivots,
            kkt_solves: self.kkt_solves - o.kkt_solves,
            kkt_size: self.kkt_size - o.kkt_size,
            models: self.models - o.models,
        }
    }
}
