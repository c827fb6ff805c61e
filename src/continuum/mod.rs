//! The **infinite-width** scaling path (MATH §6, §7, §11): the dual integrated over `ν0` itself,
//! not over a fixed quadrature of it.
//!
//! With `t = (sin β, cos β cos ϕ, cos β sin ϕ)` and `dν0 = ρ(β) dβ dϕ`:
//!
//! 1. [`envelope`] — at one `β`, the circle of `ϕ` is cut into intervals on each of which the
//!    exact minimizer `θ*_α(t)` ([`crate::dual::direction::Pieces::best`]) stays on one piece (sector
//!    interior, breakpoint ray, dead neuron): label sampling and bisection of every change.
//! 2. [`piece_map`] — on a piece `θ*(t) = L_c t`, so `V`, the cost and `φ(θ*, x_i)` are
//!    quadratic forms in `t`, and their `ϕ`-integral over an interval is exact in closed form
//!    from `∫ t tᵀ dϕ`.
//! 3. [`integrate`] — adaptive Gauss–Kronrod (7/15) in `β` over the per-piece moments, with
//!    the error estimate `Σ |K₁₅ − G₇|`; the Jacobian `J = ∂f(X)/∂α` = interior term (the
//!    curvature of each piece, from the same moments) + tie-curve term
//!    `Σ_ties ρ Δφ Δφᵀ / ∂_ϕ(Q_c − Q_c')` (a 1-D integral along each tie curve).
//! 4. [`problem`] — `D(α)`, `f_α(X)`, cost and their error estimates at one `(τ, α)`.
//! 5. [`newton`] — Newton on the concave `D` with a backtracking line search kept inside the
//!    domain (`sup g_α < 2`), and the certificate: for λ = 0, `P − D = ⟨α, f_α(X) − y⟩` up to
//!    the integration error.
//! 6. [`curve`] — `f_α(x)` off the data: per grid point, the interior pieces whose sector the
//!    point's breakpoint line cuts are split where `θ*_w x + θ*_b = 0` (closed form at each `β`
//!    node); every other piece contributes through its moments.
//!
//! Laws: `gaussian` and `sphere` (`ρ = mass · cos β / 4π`) and `balanced` (`β = ±π/4`, exact in
//! `β`). `uniform-kinks` (a `sec²ϕ` density on two arcs) is not supported. The initial measure is
//! `ν0` itself, symmetric under `a → −a` for every supported law, so the symmetrization toggle
//! changes nothing here.

pub mod curve;
pub mod envelope;
pub mod integrate;
pub mod newton;
pub mod piece_map;
pub mod problem;

pub use curve::curve;
pub use integrate::{BetaLaw, IntegrationSettings};
pub use newton::{ContinuumSettings, ContinuumSolution, solve, solve_path};
pub use problem::{Continuum, Evaluation};
