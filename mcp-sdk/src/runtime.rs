//! Changing what a running server serves: add, remove, enable and disable tools, resources and
//! prompts through the built [`Handler`]; every session hears `notifications/*/list_changed`.

use rmcp::model::ServerNotification;

use crate::{Error, Handler, IntoPrompt, IntoResource, IntoTool, Result, state::Needs};

/// Which list changed.
#[derive(Clone, Copy)]
enum List {
    Tools,
    Resources,
    Prompts,
}

impl Handler {
    /// Adds a tool while serving. Fails if a tool of that name exists or it needs a state the
    /// server was not given.
    pub async fn add_tool<M>(&self, tool: impl IntoTool<M>) -> Result<()> {
        let entry = tool.into_tool();
        let name = entry.tool.name.to_string();
        self.check_state("tool", &name, &entry.needs)?;
        {
            let mut registry = self.registry_mut();
            if registry.tools.contains_key(&name) {
                return Err(Error::internal(format!(
                    "a tool named `{name}` exists already"
                )));
            }
            registry.tools.insert(name, entry);
        }
        self.list_changed(List::Tools).await;
        Ok(())
    }

    /// Removes the tool `name`; whether there was one.
    pub async fn remove_tool(&self, name: &str) -> bool {
        let removed = self.registry_mut().tools.remove(name).is_some();
        self.changed(removed, List::Tools).await
    }

    /// Shows (`true`) or hides (`false`) the tool `name`: a hidden tool is neither listed nor
    /// callable. Whether there is such a tool.
    pub async fn enable_tool(&self, name: &str, enabled: bool) -> bool {
        let changed = match self.registry_mut().tools.get_mut(name) {
            Some(entry) => std::mem::replace(&mut entry.enabled, enabled) != enabled,
            None => return false,
        };
        self.changed(changed, List::Tools).await;
        true
    }

    /// Adds a resource while serving. Fails if one has that URI already.
    pub async fn add_resource<M>(&self, resource: impl IntoResource<M>) -> Result<()> {
        let entry = resource.into_resource();
        self.check_state("resource", entry.uri(), &entry.needs)?;
        {
            let mut registry = self.registry_mut();
            if registry
                .resources
                .iter()
                .any(|known| known.uri() == entry.uri())
            {
                let uri = entry.uri();
                return Err(Error::internal(format!(
                    "a resource at `{uri}` exists already"
                )));
            }
            registry.resources.push(entry);
            registry.resources.sort_by_key(|e| e.is_template());
        }
        self.list_changed(List::Resources).await;
        Ok(())
    }

    /// Removes the resource (or template) at `uri`; whether there was one.
    pub async fn remove_resource(&self, uri: &str) -> bool {
        let removed = {
            let mut registry = self.registry_mut();
            let before = registry.resources.len();
            registry.resources.retain(|e| e.uri() != uri);
            registry.resources.len() != before
        };
        self.changed(removed, List::Resources).await
    }

    /// Shows or hides the resource (or template) at `uri`. Whether there is one.
    pub async fn enable_resource(&self, uri: &str, enabled: bool) -> bool {
        let changed = {
            let mut registry = self.registry_mut();
            match registry.resources.iter_mut().find(|e| e.uri() == uri) {
                Some(entry) => std::mem::replace(&mut entry.enabled, enabled) != enabled,
                None => return false,
            }
        };
        self.changed(changed, List::Resources).await;
        true
    }

    /// Adds a prompt while serving. Fails if a prompt of that name exists.
    pub async fn add_prompt<M>(&self, prompt: impl IntoPrompt<M>) -> Result<()> {
        let entry = prompt.into_prompt();
        let name = entry.prompt.name.clone();
        self.check_state("prompt", &name, &entry.needs)?;
        {
            let mut registry = self.registry_mut();
            if registry.prompts.contains_key(&name) {
                return Err(Error::internal(format!(
                    "a prompt named `{name}` exists already"
                )));
            }
            registry.prompts.insert(name, entry);
        }
        self.list_changed(List::Prompts).await;
        Ok(())
    }

    /// Removes the prompt `name`; whether there was one.
    pub async fn remove_prompt(&self, name: &str) -> bool {
        let removed = self.registry_mut().prompts.remove(name).is_some();
        self.changed(removed, List::Prompts).await
    }

    /// Shows or hides the prompt `name`. Whether there is one.
    pub async fn enable_prompt(&self, name: &str, enabled: bool) -> bool {
        let changed = match self.registry_mut().prompts.get_mut(name) {
            Some(entry) => std::mem::replace(&mut entry.enabled, enabled) != enabled,
            None => return false,
        };
        self.changed(changed, List::Prompts).await;
        true
    }

    fn check_state(&self, kind: &str, name: &str, needs: &Needs) -> Result<()> {
        match needs
            .states
            .iter()
            .find(|s| !self.shared().state.contains(s))
        {
            Some(missing) => Err(Error::internal(format!(
                "{kind} `{name}` takes State<{0}> but the server has no {0}",
                missing.name
            ))),
            None => Ok(()),
        }
    }

    /// Notifies if `changed`; returns `changed`.
    async fn changed(&self, changed: bool, list: List) -> bool {
        if changed {
            self.list_changed(list).await;
        }
        changed
    }

    async fn list_changed(&self, list: List) {
        let notification = match list {
            List::Tools => ServerNotification::ToolListChangedNotification(Default::default()),
            List::Resources => {
                ServerNotification::ResourceListChangedNotification(Default::default())
            }
            List::Prompts => ServerNotification::PromptListChangedNotification(Default::default()),
        };
        self.shared().subscriptions.list_changed(notification).await;
        self.shared()
            .peers
            .notify(|peer| async move {
                match list {
                    List::Tools => peer.notify_tool_list_changed().await,
                    List::Resources => peer.notify_resource_list_changed().await,
                    List::Prompts => peer.notify_prompt_list_changed().await,
                }
            })
            .await;
    }
}
