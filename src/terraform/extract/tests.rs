//! Unit tests of the extractor.
use super::node_group::decode_user_data;
use super::*;

#[test]
fn max_pods_from_bootstrap_and_nodeadm() {
    assert_eq!(
        parse_max_pods("/etc/eks/bootstrap.sh c --kubelet-extra-args '--max-pods=20'"),
        Some(Ok(20))
    );
    assert_eq!(
        parse_max_pods("bootstrap.sh c --use-max-pods false --kubelet-extra-args '--max-pods 35'"),
        Some(Ok(35))
    );
    assert_eq!(
        parse_max_pods("bootstrap.sh c --use-max-pods false"),
        Some(Ok(110))
    );
    assert_eq!(
        parse_max_pods("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      maxPods: 58\n"),
        Some(Ok(58))
    );
    assert_eq!(parse_max_pods("{\"maxPods\": 17}"), Some(Ok(17)));
    assert_eq!(parse_max_pods("--max-pods=${max_pods}"), Some(Err(())));
    assert_eq!(parse_max_pods("#!/bin/bash\necho hi"), None);
}

#[test]
fn base64_user_data_is_decoded() {
    let enc = crate::terraform::funcs::base64_encode(b"x --max-pods 11");
    assert_eq!(parse_max_pods(&decode_user_data(&enc)), Some(Ok(11)));
}

#[test]
fn yaml_values_become_json() {
    let j =
        yaml_to_json("env:\n  WARM_IP_TARGET: 2\n  ENABLE_PREFIX_DELEGATION: \"true\"\n").unwrap();
    assert_eq!(j["env"]["WARM_IP_TARGET"], 2);
    assert_eq!(j["env"]["ENABLE_PREFIX_DELEGATION"], "true");
}
