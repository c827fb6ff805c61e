//! General numerics under the solver, with no knowledge of the problem: small dense linear
//! solves (Cholesky, LU, least squares: [`linalg`]), a dense two-phase simplex for linear
//! programs in standard form ([`lp`], the fallback of the solver's structured share LP and the
//! LPs of the rich limit), the exact quadratic Wasserstein cost between two discrete measures
//! with its dual certificate ([`transport`]), and the thread-local work counters the solver bumps
//! so that profiles and tests can see where a solve spends its effort ([`counters`]).

pub mod counters;
pub mod linalg;
pub mod lp;
pub mod transport;
