//! Who subscribed to which resource, and telling them it changed: 2025 sessions through
//! `resources/subscribe`, 2026-07-28 clients through an open `subscriptions/listen` request.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use rmcp::{
    Peer, RoleServer,
    model::{ResourceUpdatedNotificationParam, ServerNotification},
    service::{SubscriptionSendError, SubscriptionSink},
};

/// The subscribers of each resource URI, one entry per session, and the open listens.
#[derive(Default)]
pub(crate) struct Subscriptions {
    sessions: Mutex<BTreeMap<String, HashMap<u64, Peer<RoleServer>>>>,
    listeners: Mutex<HashMap<u64, SubscriptionSink>>,
    next_listener: AtomicU64,
}

impl Subscriptions {
    pub fn subscribe(&self, uri: String, session: u64, peer: Peer<RoleServer>) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(uri).or_default().insert(session, peer);
    }

    pub fn unsubscribe(&self, uri: &str, session: u64) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(peers) = map.get_mut(uri) {
            peers.remove(&session);
            if peers.is_empty() {
                map.remove(uri);
            }
        }
    }

    /// Adds an open `subscriptions/listen`; returns its id for [`unlisten`](Self::unlisten).
    pub fn listen(&self, sink: SubscriptionSink) -> u64 {
        let id = self.next_listener.fetch_add(1, Ordering::Relaxed);
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.insert(id, sink);
        id
    }

    pub fn unlisten(&self, id: u64) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.remove(&id);
    }

    /// Sends `notifications/resources/updated` for `uri` to every subscriber of either era; a
    /// session that is gone is forgotten. Returns how many were told.
    pub async fn notify(&self, uri: &str) -> usize {
        let peers: Vec<(u64, Peer<RoleServer>)> = {
            let map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
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
        let listening = |sink: &SubscriptionSink| {
            let uris = sink.accepted().resource_subscriptions.as_ref();
            uris.is_some_and(|uris| uris.iter().any(|u| u == uri))
        };
        for sink in self.listeners(listening) {
            if sink.notify_resource_updated(uri).await.is_ok() {
                told += 1;
            }
        }
        told
    }

    /// Sends a `list_changed` notification to every listen that asked for it.
    pub async fn list_changed(&self, notification: ServerNotification) {
        for sink in self.listeners(|_| true) {
            match sink.send(notification.clone()).await {
                Ok(()) | Err(SubscriptionSendError::NotificationNotAccepted(_)) => {}
                Err(error) => tracing::debug!(%error, "a listener is gone"),
            }
        }
    }

    /// The open listens that `wants`.
    fn listeners(&self, wants: impl Fn(&SubscriptionSink) -> bool) -> Vec<SubscriptionSink> {
        let listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.values().filter(|s| wants(s)).cloned().collect()
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
