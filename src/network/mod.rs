//! The network and its initial measure (MATH §1–2, §7–8): a neuron `θ = (a, w, b)` and the
//! function of a measure of them ([`model`]); the initial measures at scale 1, a quadrature of
//! `ν0` aligned with the data or sampled neurons ([`init`]); the sectors of the `(w, b)` plane
//! cut by the data, on which every per-direction problem is piecewise ([`geometry`]);
//! Gauss–Legendre rules, bit-identical natively and in wasm32 ([`quadrature`]); and the
//! infinite-width function drawn accurately between the data ([`curve`]).
//!
//! `init` builds its rules from `geometry` and `quadrature`; the dual ([`crate::dual`]) and
//! the solver evaluate `model` over them. `curve` sits on top: it re-solves the exact
//! per-direction minimizer ([`crate::dual::direction`]) on finer rules between the data.

pub mod curve;
pub mod geometry;
pub mod init;
pub mod model;
pub mod quadrature;
