//! Colouring of the structural sparsity pattern: columns that never share a row can be
//! seeded together in one forward sweep (rows that never share a column, in one reverse
//! sweep), so a sparse J costs fewer sweeps than min(n, m).

#[derive(Clone, Debug, PartialEq)]
pub struct Colouring {
    /// Colour of each column (or row).
    pub colour: Vec<u32>,
    pub count: usize,
}

/// Greedy colourings of the columns (two conflict when they share a row) and of the
/// rows (two conflict when they share a column) of `pattern` (m × n).
pub fn colour(pattern: &[Vec<u32>], n: usize) -> (Colouring, Colouring) {
    // One pass row by row, as the pattern is stored; each column's rows come out ascending.
    let mut rows_of: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, cols) in pattern.iter().enumerate() {
        for &j in cols {
            rows_of[j as usize].push(i as u32);
        }
    }
    (greedy(n, &rows_of, pattern), greedy(pattern.len(), pattern, &rows_of))
}

/// `links[v]` are the hyperedges v belongs to, `members[e]` the vertices of edge e; two
/// vertices conflict when they share an edge.
fn greedy(count: usize, links: &[Vec<u32>], members: &[Vec<u32>]) -> Colouring {
    const NONE: u32 = u32::MAX;
    let mut colour = vec![NONE; count];
    let mut forbidden_by = vec![usize::MAX; count + 1];
    let mut used = 0usize;
    for v in 0..count {
        for &e in &links[v] {
            for &u in &members[e as usize] {
                if colour[u as usize] != NONE {
                    forbidden_by[colour[u as usize] as usize] = v;
                }
            }
        }
        let c = (0..).find(|&c| forbidden_by[c] != v).unwrap_or(0);
        colour[v] = c as u32;
        used = used.max(c + 1);
    }
    Colouring { colour, count: used }
}
