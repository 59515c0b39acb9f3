use super::*;

#[test]
fn options_from_json_name_the_option() {
    let e = MfaVerifyOptions::from_json(&json!({"otp": "123456"})).unwrap_err();
    assert_eq!(e.description(), "mfaToken option is required");
    let e =
        MfaChallengeOptions::from_json(&json!({"mfaToken": "t", "challengeType": 1})).unwrap_err();
    assert_eq!(e.description(), "challengeType option is not valid");
    let e = MfaAssociateOptions::from_json(&json!({"mfaToken": "t", "oobChannels": "sms"}))
        .unwrap_err();
    assert_eq!(e.description(), "oobChannels option is not valid");
    let e = MfaVerifyOptions::from_json(&json!({"mfaToken": "t", "interval": -1})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.description().starts_with("interval option is not valid"));
    let o = MfaVerifyOptions::from_json(&json!({"mfaToken": "t", "oobCode": "o",
        "bindingCode": "b", "interval": 1500}))
    .unwrap();
    assert_eq!(o.interval, Some(Duration::from_millis(1500)));
    assert_eq!(o.binding_code.as_ref().map(Otp::secret), Some("b"));
}

#[test]
fn the_serde_shape_is_the_json_face() {
    let o: MfaVerifyOptions =
        serde_json::from_value(json!({"mfaToken": "t", "recoveryCode": "R", "timeout": 2000}))
            .unwrap();
    assert_eq!(
        o.recovery_code.as_ref().map(RecoveryCode::secret),
        Some("R")
    );
    assert_eq!(o.timeout, Some(Duration::from_secs(2)));
}

#[test]
fn debug_of_options_and_results_hides_secrets() {
    let o = MfaVerifyOptions {
        mfa_token: "secret-mfa".into(),
        otp: Some("secret-otp".into()),
        ..MfaVerifyOptions::default()
    };
    let r = MfaAssociation {
        authenticator_type: "otp".into(),
        secret: Some("secret-key".into()),
        barcode_uri: Some("otpauth://totp/x?secret=secret-key".into()),
        oob_channel: None,
        oob_code: None,
        binding_method: None,
        recovery_codes: vec!["secret-recovery".into()],
    };
    let d = format!("{o:?} {r:?}");
    assert!(!d.contains("secret-"), "{d}");
}
