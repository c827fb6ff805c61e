//! What the user gives, and its checks: the data ([`data`]), the parameters of a path and
//! their one validation path ([`params`]), the user-facing options of the CLI and the browser
//! that convert into those parameters ([`options`]), the one error type whose messages name the
//! problem ([`error`]), a ground-truth target for the generalization experiments ([`target`]),
//! and seeded synthetic data sets ([`synthetic`]).
//!
//! Everything downstream takes checked values: `Options` → `PathParams` → `ValidPathParams`
//! (and `GdParams`, defined with gradient descent in [`crate::gd`]). The crate root re-exports
//! the common names ([`crate::Data`], [`crate::Error`], [`crate::PathParams`], …).

pub mod data;
pub mod error;
pub mod options;
pub mod params;
pub mod plane_data;
pub mod synthetic;
pub mod target;
