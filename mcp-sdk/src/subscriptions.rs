//! Who subscribed to which resource (`resources/subscribe`), and telling them it changed.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Mutex,
};

use rmcp::{Peer, RoleServer, model::ResourceUpdatedNotificationParam};

/// The subscribers of each resource URI, one entry per session.
#[derive(Default)]
pub(crate) struct Subscriptions(Mutex<BTreeMap<String, HashMap<u64, Peer<RoleServer>>>>);

impl Subscriptions {
    pub fn subscribe(&self, uri: String, session: u64, peer: Peer<RoleServer>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(uri).or_default().insert(session, peer);
    }

    pub fn unsubscribe(&self, uri: &str, session: u64) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(peers) = map.get_mut(uri) {
            peers.remove(&session);
            if peers.is_empty() {
                map.remove(uri);
            }
        }
    }

    /// Sends `notifications/resources/updated` for `uri` to every subscriber; a session that is
    /// gone is forgotten. Returns how many were told.
    pub async fn notify(&self, uri: &str) -> usize {
        let peers: Vec<(u64, Peer<RoleServer>)> = {
            let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
            map.get(uri)
                .map(|peers| peers.iter().map(|(s, p)| (*s, p.clone())).collect())
                .unwrap_or_default()
        };
        let mut told = 0;
        for (session, peer) in peers {
            let param = ResourceUpdatedNotificationParam::new(uri);
            match peer.notify_resource_updated(param).await {
                Ok(()) => told += 1,
                Err(error) => {
                    tracing::debug!(%error, uri, "a subscriber is gone");
                    self.unsubscribe(uri, session);
                }
            }
        }
        told
    }
}

/// Every initialized session's peer, for notifications meant for all (`list_changed`).
#[derive(Default)]
pub(crate) struct Peers(Mutex<HashMap<u64, Peer<RoleServer>>>);

impl Peers {
    pub fn add(&self, session: u64, peer: Peer<RoleServer>) {
        let mut peers = self.0.lock().unwrap_or_else(|e| e.into_inner());
        peers.insert(session, peer);
    }

    /// Sends what `send` makes to every session; sessions that are gone are forgotten.
    pub async fn notify<F, Fut>(&self, send: F)
    where
        F: Fn(Peer<RoleServer>) -> Fut,
        Fut: Future<Output = Result<(), rmcp::ServiceError>>,
    {
        let peers: Vec<(u64, Peer<RoleServer>)> = {
            let peers = self.0.lock().unwrap_or_else(|e| e.into_inner());
            peers.iter().map(|(s, p)| (*s, p.clone())).collect()
        };
        for (session, peer) in peers {
            if let Err(error) = send(peer).await {
                tracing::debug!(%error, "a session is gone");
                let mut peers = self.0.lock().unwrap_or_else(|e| e.into_inner());
                peers.remove(&session);
            }
        }
    }
}
