//! A graph's parent or child links: every revision's list in one flat vector.
//!
//! Nearly every revision has one parent and one child. As a vector per revision, each list
//! costs an allocation and 24 bytes beside its one index, for the whole run; here a list is
//! a range of one shared vector.

/// For each node, the nodes it links to, in the order they were added.
#[derive(Debug, Clone)]
pub(crate) struct Links {
    /// `starts[node]..starts[node + 1]` is `node`'s range of `targets`.
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Links {
    /// Links for `nodes` nodes, added node by node with [`Links::push`] and [`Links::end_node`].
    pub fn with_capacity(nodes: usize) -> Links {
        let mut starts = Vec::with_capacity(nodes + 1);
        starts.push(0);
        Links {
            starts,
            targets: Vec::with_capacity(nodes),
        }
    }

    /// Adds a link from the node being built.
    pub fn push(&mut self, target: usize) {
        self.targets.push(target);
    }

    /// Ends the node being built; the next [`Links::push`] is the next node's.
    pub fn end_node(&mut self) {
        self.starts.push(self.targets.len());
    }

    /// How many nodes there are.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The links of `node`.
    pub fn of(&self, node: usize) -> &[usize] {
        &self.targets[self.starts[node]..self.starts[node + 1]]
    }

    /// Every link turned around (children from parents), each list in node order.
    pub fn reversed(&self) -> Links {
        let nodes = self.len();
        let mut starts = vec![0; nodes + 1];
        for &target in &self.targets {
            starts[target + 1] += 1;
        }
        for node in 0..nodes {
            starts[node + 1] += starts[node];
        }
        let mut next = starts.clone();
        let mut targets = vec![0; self.targets.len()];
        for node in 0..nodes {
            for &target in self.of(node) {
                targets[next[target]] = node;
                next[target] += 1;
            }
        }
        Links { starts, targets }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_come_back_as_pushed_and_reversed_in_node_order() {
        let lists: [&[usize]; 5] = [&[], &[0], &[0], &[1, 2], &[3]];
        let mut links = Links::with_capacity(lists.len());
        for list in lists {
            list.iter().for_each(|&target| links.push(target));
            links.end_node();
        }
        assert_eq!(links.len(), 5);
        let back: Vec<&[usize]> = (0..5).map(|node| links.of(node)).collect();
        assert_eq!(back, lists);
        let reversed = links.reversed();
        let children: Vec<&[usize]> = (0..5).map(|node| reversed.of(node)).collect();
        let expected: [&[usize]; 5] = [&[1, 2], &[3], &[3], &[4], &[]];
        assert_eq!(children, expected);
    }
}
