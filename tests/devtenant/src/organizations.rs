//! Organizations: seeded or created through `/__dev/organizations`, the
//! `organization` parameter of `/authorize` (id or name), membership checks,
//! `org_id` / `org_name` claims, and invitations (`invitation` +
//! `organization`, accepted once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::authorize::redirect_error;
use crate::config::TEST_USER_ID;
use crate::store::{AuthTx, User};
use crate::util::{iso8601, json_response, now_ms, oauth_error, random_hex, random_token};
use crate::App;

/// The seeded organization (its only member is the test user).
pub const DEFAULT_ORG_ID: &str = "org_6f00000000000001";
pub const DEFAULT_ORG_NAME: &str = "acme";

/// An organization of the `organizations` config key.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrgConfig {
    /// `org_…`; generated when empty.
    pub id: String,
    /// Unique, lower case.
    pub name: String,
    pub display_name: Option<String>,
    /// User ids or e-mail addresses (e-mails match users created later too).
    pub members: Vec<String>,
}

impl OrgConfig {
    pub fn default_org() -> OrgConfig {
        OrgConfig {
            id: DEFAULT_ORG_ID.into(),
            name: DEFAULT_ORG_NAME.into(),
            display_name: Some("Acme Corp".into()),
            members: vec![TEST_USER_ID.into()],
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Invitation {
    id: String,
    ticket: String,
    org_id: String,
    email: String,
    created_ms: u64,
    expires_ms: u64,
    accepted_by: Option<String>,
}

#[derive(Default)]
struct Inner {
    orgs: Vec<OrgConfig>,
    /// ticket -> invitation
    invitations: HashMap<String, Invitation>,
}

pub struct Orgs {
    inner: Mutex<Inner>,
}

fn new_org_id() -> String {
    format!("org_{}", &random_hex(8))
}

impl Orgs {
    /// From `cfg.organizations`, or with `--db` from the database once it has any.
    pub fn new(cfg: &crate::config::Config, store: &crate::store::Store) -> Result<Orgs, String> {
        let mut orgs: Vec<OrgConfig> = cfg
            .organizations
            .iter()
            .cloned()
            .map(|mut o| {
                if o.id.is_empty() {
                    o.id = new_org_id();
                }
                o
            })
            .collect();
        let mut invitations = HashMap::new();
        if let Some(db) = &store.db {
            let persisted: Vec<OrgConfig> = db.load("org")?;
            if persisted.is_empty() {
                save_orgs(store, &orgs);
            } else {
                orgs = persisted;
            }
            for (t, i) in db.load_keyed::<Invitation>("org_invitation")? {
                invitations.insert(t, i);
            }
        }
        Ok(Orgs {
            inner: Mutex::new(Inner { orgs, invitations }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    /// By id, or by name (case-insensitive).
    fn find(&self, id_or_name: &str) -> Option<&OrgConfig> {
        self.orgs
            .iter()
            .find(|o| o.id == id_or_name || o.name.eq_ignore_ascii_case(id_or_name))
    }

    fn find_mut(&mut self, id_or_name: &str) -> Option<&mut OrgConfig> {
        self.orgs
            .iter_mut()
            .find(|o| o.id == id_or_name || o.name.eq_ignore_ascii_case(id_or_name))
    }
}

/// Write the organization list through to the database (`--db`).
fn save_orgs(store: &crate::store::Store, orgs: &[OrgConfig]) {
    if let Some(db) = &store.db {
        let items: Vec<(String, &OrgConfig)> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (format!("{i:06}"), o))
            .collect();
        db.replace_all("org", &items);
    }
}

fn save_invitation(store: &crate::store::Store, i: &Invitation) {
    if let Some(db) = &store.db {
        db.put("org_invitation", &i.ticket, i);
    }
}

fn is_member(o: &OrgConfig, u: &User) -> bool {
    o.members.iter().any(|m| {
        *m == u.user_id
            || u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(m))
    })
}

/// `/authorize`: resolve `organization` (id or name) to the id; an unknown
/// organization, or an invitation without one, is an error redirect.
pub fn check_param(app: &App, tx: &mut AuthTx) -> Result<(), Response> {
    let Some(given) = tx.organization.clone() else {
        if tx.invitation.is_some() {
            return Err(redirect_error(
                tx,
                "invalid_request",
                "parameter organization is required when invitation is sent",
            ));
        }
        return Ok(());
    };
    let id = app.orgs.lock().find(&given).map(|o| o.id.clone());
    match id {
        Some(id) => {
            tx.organization = Some(id);
            Ok(())
        }
        None => Err(redirect_error(
            tx,
            "invalid_request",
            &format!("parameter organization is invalid: no organization found by that id or name ({given})"),
        )),
    }
}

/// Whether `user` may finish a login to `tx.organization`: a member, or the
/// invitee of a live `tx.invitation` (accepted now: the user becomes a member).
pub fn admit(app: &App, tx: &AuthTx, user: &User) -> Result<(), String> {
    let Some(org_id) = &tx.organization else {
        return Ok(());
    };
    let mut g = app.orgs.lock();
    if let Some(ticket) = &tx.invitation {
        let now = now_ms();
        let Some(inv) = g
            .invitations
            .get_mut(ticket)
            .filter(|i| i.org_id == *org_id && i.accepted_by.is_none())
        else {
            return Err("invitation not found or already used".into());
        };
        if inv.expires_ms <= now {
            return Err("invitation expired".into());
        }
        if !user
            .email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(&inv.email))
        {
            return Err("the invitation was sent to another e-mail address".into());
        }
        inv.accepted_by = Some(user.user_id.clone());
        let inv = inv.clone();
        if let Some(o) = g.find_mut(org_id) {
            if !is_member(o, user) {
                o.members.push(user.user_id.clone());
            }
        }
        save_invitation(&app.store, &inv);
        save_orgs(&app.store, &g.orgs);
        return Ok(());
    }
    match g.find(org_id) {
        Some(o) if is_member(o, user) => Ok(()),
        Some(_) => Err("user is not a member of the organization".into()),
        None => Err("the organization no longer exists".into()),
    }
}

/// `org_id` and `org_name` on tokens issued for a login to `org`.
pub fn add_claims(app: &App, org: Option<&str>, claims: &mut Value) {
    let Some(given) = org else { return };
    // Always the id, even where the parameter came as a name unresolved.
    let found = app
        .orgs
        .lock()
        .find(given)
        .map(|o| (o.id.clone(), o.name.clone()));
    match found {
        Some((id, name)) => {
            claims["org_id"] = json!(id);
            claims["org_name"] = json!(name);
        }
        None => claims["org_id"] = json!(given),
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/__dev/organizations", get(list).post(create))
        .route("/__dev/organizations/{org}/members", post(add_members))
        .route(
            "/__dev/organizations/{org}/members/{member}",
            delete(remove_member),
        )
        .route(
            "/__dev/organizations/{org}/invitations",
            get(list_invitations).post(invite),
        )
}

fn org_json(o: &OrgConfig) -> Value {
    json!({"id": o.id, "name": o.name, "display_name": o.display_name, "members": o.members})
}

fn not_found(org: &str) -> Response {
    oauth_error(404, "not_found", &format!("No organization {org}"))
}

fn parse(body: &Bytes) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(oauth_error(
            400,
            "invalid_request",
            "Body must be a JSON object",
        )),
    }
}

fn strings(v: Option<&Value>, key: &str) -> Result<Vec<String>, Response> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                oauth_error(
                    400,
                    "invalid_request",
                    &format!("{key} must be an array of strings"),
                )
            }),
        Some(_) => Err(oauth_error(
            400,
            "invalid_request",
            &format!("{key} must be an array of strings"),
        )),
    }
}

async fn list(State(app): State<Arc<App>>) -> Response {
    let g = app.orgs.lock();
    json_response(200, &Value::Array(g.orgs.iter().map(org_json).collect()))
}

async fn create(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(name) = b
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return oauth_error(400, "invalid_request", "Missing required field: name");
    };
    let members = match strings(b.get("members"), "members") {
        Ok(m) => m,
        Err(r) => return r,
    };
    let id = b
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(new_org_id);
    let mut g = app.orgs.lock();
    if g.find(&id).is_some() || g.find(name).is_some() {
        return oauth_error(
            409,
            "conflict",
            "An organization with this id or name already exists",
        );
    }
    let o = OrgConfig {
        id,
        name: name.to_lowercase(),
        display_name: b
            .get("display_name")
            .and_then(Value::as_str)
            .map(str::to_string),
        members,
    };
    let v = org_json(&o);
    g.orgs.push(o);
    save_orgs(&app.store, &g.orgs);
    json_response(201, &v)
}

async fn add_members(
    State(app): State<Arc<App>>,
    Path(org): Path<String>,
    body: Bytes,
) -> Response {
    let b = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let members = match strings(b.get("members"), "members") {
        Ok(m) => m,
        Err(r) => return r,
    };
    let mut g = app.orgs.lock();
    let Some(o) = g.find_mut(&org) else {
        return not_found(&org);
    };
    for m in members {
        if !o.members.contains(&m) {
            o.members.push(m);
        }
    }
    let v = org_json(o);
    save_orgs(&app.store, &g.orgs);
    json_response(200, &v)
}

async fn remove_member(
    State(app): State<Arc<App>>,
    Path((org, member)): Path<(String, String)>,
) -> Response {
    let user = app.store.lock().users.get(&member).cloned();
    let mut g = app.orgs.lock();
    let Some(o) = g.find_mut(&org) else {
        return not_found(&org);
    };
    o.members.retain(|m| {
        *m != member
            && !user.as_ref().is_some_and(|u| {
                *m == u.user_id
                    || u.email
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(m))
            })
    });
    save_orgs(&app.store, &g.orgs);
    StatusCode::NO_CONTENT.into_response()
}

fn invitation_json(i: &Invitation, org_name: &str) -> Value {
    json!({
        "id": i.id,
        "ticket_id": i.ticket,
        "organization_id": i.org_id,
        "organization_name": org_name,
        "invitee": {"email": i.email},
        "invitation_url": format!(
            "https://app.example.com/login?invitation={}&organization={}&organization_name={}",
            i.ticket, i.org_id, crate::util::enc(org_name)
        ),
        "created_at": iso8601(i.created_ms),
        "expires_at": iso8601(i.expires_ms),
        "accepted": i.accepted_by.is_some(),
        "accepted_by": i.accepted_by,
    })
}

async fn invite(State(app): State<Arc<App>>, Path(org): Path<String>, body: Bytes) -> Response {
    let b = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(email) = b
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| e.contains('@'))
    else {
        return oauth_error(400, "invalid_request", "Missing or invalid field: email");
    };
    let ttl = match b.get("ttl_secs") {
        None => app.cfg.invitation_lifetime_secs,
        Some(v) => match v.as_u64() {
            Some(n) => n,
            None => return oauth_error(400, "invalid_request", "ttl_secs must be a number"),
        },
    };
    let mut g = app.orgs.lock();
    let Some(o) = g.find(&org) else {
        return not_found(&org);
    };
    let (org_id, org_name) = (o.id.clone(), o.name.clone());
    let now = now_ms();
    let inv = Invitation {
        id: format!("uinv_{}", random_hex(8)),
        ticket: random_token(24),
        org_id,
        email: email.to_string(),
        created_ms: now,
        expires_ms: now + ttl * 1000,
        accepted_by: None,
    };
    let v = invitation_json(&inv, &org_name);
    save_invitation(&app.store, &inv);
    g.invitations.insert(inv.ticket.clone(), inv);
    json_response(201, &v)
}

async fn list_invitations(State(app): State<Arc<App>>, Path(org): Path<String>) -> Response {
    let g = app.orgs.lock();
    let Some(o) = g.find(&org) else {
        return not_found(&org);
    };
    let mut list: Vec<&Invitation> = g
        .invitations
        .values()
        .filter(|i| i.org_id == o.id)
        .collect();
    list.sort_by_key(|i| i.created_ms);
    json_response(
        200,
        &Value::Array(list.iter().map(|i| invitation_json(i, &o.name)).collect()),
    )
}
