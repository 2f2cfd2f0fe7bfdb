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
pub fn colour(pattern: &[Vec<bool>], n: usize) -> (Colouring, Colouring) {
    // One pass row by row, as the pattern is stored; each column's rows come out ascending.
    let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let cols_of: Vec<Vec<usize>> = pattern
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cols: Vec<usize> = (0..n).filter(|&j| r[j]).collect();
            for &j in &cols {
                rows_of[j].push(i);
            }
            cols
        })
        .collect();
    (greedy(n, &rows_of, &cols_of), greedy(pattern.len(), &cols_of, &rows_of))
}

/// `links[v]` are the hyperedges v belongs to, `members[e]` the vertices of edge e; two
/// vertices conflict when they share an edge.
fn greedy(count: usize, links: &[Vec<usize>], members: &[Vec<usize>]) -> Colouring {
    const NONE: u32 = u32::MAX;
    let mut colour = vec![NONE; count];
    let mut forbidden_by = vec![usize::MAX; count + 1];
    let mut used = 0usize;
    for v in 0..count {
        for &e in &links[v] {
            for &u in &members[e] {
                if colour[u] != NONE {
                    forbidden_by[colour[u] as usize] = v;
                }
            }
        }
        let c = (0..).find(|&c| forbidden_by[c] != v).unwrap_or(0);
        colour[v] = c as u32;
        used = used.max(c + 1);
    }
    Colouring { colour, count: used }
}
