//! The two ends of the scaling path, solved directly (MATH §4): the kernel (lazy) limit
//! τ → ∞, the minimum-RKHS-norm interpolant of the tangent kernel at initialization
//! ([`kernel_limit`]), and the rich limit τ → 0, the interpolant of least transport cost
//! `∫|θ|² dμ`, a semi-infinite LP solved by column generation over [`crate::numeric::lp`]
//! ([`rich_limit`]). The path ([`crate::path`]) reports both next to the solves at finite τ. For
//! inputs in the plane, the kernel limit ([`plane_kernel`]) and the rich limit ([`plane_rich`]).

pub mod kernel_limit;
pub mod plane_kernel;
pub mod plane_rich;
pub mod rich_limit;
