//! Scroll and selection arithmetic, kept apart from drawing so it can be
//! tested on its own.

/// Moves an index by `delta` within `0..len`, stopping at the ends.
pub fn step_index(index: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let moved = index as isize + delta;
    moved.clamp(0, len as isize - 1) as usize
}

/// Moves an index by `delta` within `0..len`, wrapping around.
pub fn cycle(index: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (index as isize + delta).rem_euclid(len as isize) as usize
}

/// Returns the first row to draw so that `selected` is visible in a window
/// of `height` rows: the selection sits a third of the way down the
/// window, except near the ends of the list.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let max_offset = len - height;
    selected.saturating_sub(height / 3).min(max_offset)
}

/// Returns how many position columns of `cell_width` fit in `width` after
/// a label column of `label_width`, at least one.
pub fn columns_that_fit(width: usize, label_width: usize, cell_width: usize) -> usize {
    (width.saturating_sub(label_width) / cell_width.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_index_stops_at_ends() {
        assert_eq!(step_index(0, -1, 5), 0);
        assert_eq!(step_index(4, 1, 5), 4);
        assert_eq!(step_index(2, 10, 5), 4);
        assert_eq!(step_index(0, 1, 0), 0);
    }

    #[test]
    fn cycle_wraps() {
        assert_eq!(cycle(0, -1, 3), 2);
        assert_eq!(cycle(2, 1, 3), 0);
        assert_eq!(cycle(0, 1, 0), 0);
    }

    #[test]
    fn scroll_keeps_selection_visible() {
        for selected in 0..50 {
            let offset = scroll_offset(selected, 50, 10);
            assert!(
                offset <= selected && selected < offset + 10,
                "selected {selected}, offset {offset}"
            );
        }
        assert_eq!(scroll_offset(3, 5, 10), 0);
        assert_eq!(scroll_offset(49, 50, 10), 40);
    }

    #[test]
    fn columns_fit_at_least_one() {
        assert_eq!(columns_that_fit(40, 16, 6), 4);
        assert_eq!(columns_that_fit(10, 16, 6), 1);
    }
}
