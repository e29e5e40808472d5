//! "Did you mean": the registered name closest to a mistyped one.

/// The candidate closest to `name` by edit distance (case-insensitive), if it is close enough to
/// be a typo: at most a third of the longer name's length, and at least 2 edits allowed.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::levenshtein(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= (name.len().max(candidate.len()) / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typos_find_the_closest_name() {
        let names = ["weather", "github", "filesystem"];
        assert_eq!(closest("wether", names), Some("weather"));
        assert_eq!(closest("GitHub", names), Some("github"));
        assert_eq!(closest("filesystm", names), Some("filesystem"));
        assert_eq!(closest("zzz", names), None);
    }
}
