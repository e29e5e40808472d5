//! Shared state handed to tools as `State<T>` arguments.

use std::{
    any::{Any, TypeId, type_name},
    collections::HashMap,
    fmt,
    ops::Deref,
    sync::Arc,
};

/// Shared state of type `T`, given to the server with [`Server::state`](crate::Server::state) and
/// injected into every tool that takes a `State<T>` argument. It is not part of the input schema.
pub struct State<T: ?Sized>(Arc<T>);

impl<T> State<T> {
    /// Wraps `value`: for calling a tool's function directly (`add::call(.., State::new(db))`).
    pub fn new(value: T) -> Self {
        Self(Arc::new(value))
    }
}

impl<T: ?Sized> From<Arc<T>> for State<T> {
    fn from(shared: Arc<T>) -> Self {
        Self(shared)
    }
}

impl<T: ?Sized> State<T> {
    /// The shared pointer itself, to keep or move into a task.
    pub fn into_inner(self) -> Arc<T> {
        self.0
    }
}

impl<T: ?Sized> Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized> Clone for State<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The values given to the server, one per type.
#[derive(Default)]
pub(crate) struct StateMap(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl StateMap {
    pub fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.0.insert(TypeId::of::<T>(), Arc::new(value));
    }

    pub fn contains(&self, requirement: &StateType) -> bool {
        self.0.contains_key(&requirement.id)
    }

    pub fn get<T: Send + Sync + 'static>(&self) -> Option<State<T>> {
        let value = self.0.get(&TypeId::of::<T>())?.clone();
        value.downcast::<T>().ok().map(State)
    }
}

/// A state type some tool needs, checked when the server is built.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StateType {
    id: TypeId,
    pub name: &'static str,
}

impl StateType {
    pub fn of<T: 'static>() -> Self {
        Self {
            id: TypeId::of::<T>(),
            name: type_name::<T>(),
        }
    }
}

/// What an item (tool, resource, prompt) needs from the server, checked when it is built.
#[derive(Clone, Debug, Default)]
pub(crate) struct Needs {
    pub states: Vec<StateType>,
    pub uses_context: bool,
}

/// The server's `T`, or an internal error if it was not given (which `Server::build` prevents).
pub(crate) fn required<T: Send + Sync + 'static>(
    context: &crate::Context,
) -> crate::Result<State<T>> {
    context.state::<T>().ok_or_else(|| {
        crate::Error::internal(format!(
            "no state of type {} was given to the server",
            type_name::<T>()
        ))
    })
}
