//! Where a path is split over two workers solving at once (the lab on a machine with two or
//! more cores). The first worker solves the selected τ, then the grid τ's below it walking
//! down from the selected α, then those from the selected τ up to below the split τ walking up
//! (the middle part); the second solves the grid τ's from the split τ up, from the kernel end
//! down, where a cold start is cheap. The first worker takes [`MIDDLE_STEPS`] grid steps above
//! the selected τ too because the second starts later (at the first fit) and its τ's, with the
//! re-aligned curves of the kernel end, cost more each: then both finish together (measured:
//! docs/SOLVER.md, "Measured choices"). Halves of the τ range, not every other τ: every other τ
//! doubles each worker's τ spacing and costs the ascent more iterations.

/// Grid steps above the selected τ that the first part also solves, walking up.
pub const MIDDLE_STEPS: usize = 3;

/// A split of a path's τ grid at the selected τ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    /// Where the upper part begins (half way in log τ between two grid τ's, so on none of
    /// them); `None`: at the selected τ (no middle part).
    pub split_tau: Option<f64>,
}

/// The split of the grid `taus` (increasing) at `selected`: `None` when fewer than two grid τ's
/// lie below it or fewer than three at or above it (one worker is quicker). The middle part
/// holds up to [`MIDDLE_STEPS`] grid τ's from the first one at or above `selected`, leaving at
/// least three to the upper part.
pub fn split(taus: &[f64], selected: f64) -> Option<Split> {
    let k = taus.iter().take_while(|&&t| t < selected).count();
    let above = taus.len() - k;
    if k < 2 || above < 3 {
        return None;
    }
    let steps = MIDDLE_STEPS.min(above.saturating_sub(3));
    let split_tau = (steps >= 1).then(|| (taus[k + steps - 1] * taus[k + steps]).sqrt());
    Some(Split { split_tau })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::params::log_range;

    #[test]
    fn splits_with_room_on_both_sides() {
        let taus = log_range(1e-3, 1e3, 41).unwrap();
        // τ = 1 is grid τ 20: 20 below, 21 at or above; the middle part takes grid τ's 20–22.
        let s = split(&taus, 1.0).unwrap();
        let t = s.split_tau.unwrap();
        assert!(t > taus[22] && t < taus[23], "{t}");
        assert!((t / (taus[22] * taus[23]).sqrt() - 1.0).abs() < 1e-12);
        // Near the top: fewer middle steps, at least three τ's left above.
        let near_top = split(&taus, taus[36]).unwrap();
        assert!(near_top.split_tau.unwrap() > taus[37] && near_top.split_tau.unwrap() < taus[38]);
        assert_eq!(split(&taus, taus[38]), Some(Split { split_tau: None }));
        // No room: at the ends, or a short grid.
        assert_eq!(split(&taus, taus[39]), None);
        assert_eq!(split(&taus, taus[1]), None);
        assert!(split(&taus, taus[2]).is_some());
        assert_eq!(split(&log_range(0.1, 10.0, 4).unwrap(), 1.0), None);
    }
}
