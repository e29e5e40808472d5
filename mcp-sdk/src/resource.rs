//! Resources as data: what `#[resource]` builds, and how a read is matched and answered.

use std::{any::TypeId, collections::HashMap, fmt, sync::Arc};

use futures::future::BoxFuture;
use rmcp::model::{ReadResourceResult, Resource, ResourceContents, ResourceTemplate};
use schemars::JsonSchema;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    Context, Error, Result, State, Structured,
    registration::registration,
    state::{self, Needs, StateType},
    tool::{Package, decode},
    uri_template::UriTemplate,
};

registration! {
    /// Something that registers as a resource: a function marked `#[resource]`, or a hand-made
    /// [`ResourceEntry`]. `M` only tells the two apart.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a resource",
        note = "mark the function with `#[resource(\"scheme://path\")]`"
    )]
    IntoResource::into_resource, ResourceItem::resource, ResourceEntry, "resource"
}

type Handler = dyn Fn(ResourceCall) -> BoxFuture<'static, Result<ReadResourceResult>> + Send + Sync;

/// A registered resource or resource template.
#[derive(Clone)]
pub struct ResourceEntry {
    /// Whether clients see it (see [`Handler::enable_tool`](crate::Handler::enable_tool)).
    pub(crate) enabled: bool,
    template: UriTemplate,
    name: String,
    title: Option<String>,
    description: String,
    mime_type: Option<String>,
    pub(crate) package: Package,
    pub(crate) needs: Needs,
    /// The function marked `#[tool]`/`#[prompt]`/`#[resource]` this came from, if any.
    pub(crate) item: Option<TypeId>,
    handler: Arc<Handler>,
}

impl fmt::Debug for ResourceEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceEntry")
            .field("uri", &self.template.as_str())
            .finish_non_exhaustive()
    }
}

impl ResourceEntry {
    /// The URI or URI template.
    pub fn uri(&self) -> &str {
        self.template.as_str()
    }

    pub(crate) fn is_template(&self) -> bool {
        !self.template.is_fixed()
    }

    pub(crate) fn resource(&self) -> Resource {
        let mut resource =
            Resource::new(self.template.as_str(), &self.name).with_description(&self.description);
        resource.title = self.title.clone();
        resource.mime_type = self.mime_type.clone();
        resource
    }

    pub(crate) fn resource_template(&self) -> ResourceTemplate {
        let mut template = ResourceTemplate::new(self.template.as_str(), &self.name)
            .with_description(&self.description);
        template.title = self.title.clone();
        template.mime_type = self.mime_type.clone();
        template
    }

    /// Whether `uri` is this resource or fits its template.
    pub(crate) fn matches(&self, uri: &str) -> bool {
        self.template.matches(uri).is_some()
    }

    /// Starts reading `uri` if this resource matches it.
    pub(crate) fn read(
        &self,
        uri: &str,
        context: &dyn Fn() -> Context,
    ) -> Option<BoxFuture<'static, Result<ReadResourceResult>>> {
        let variables = self.template.matches(uri)?;
        let call = ResourceCall {
            uri: uri.to_owned(),
            variables,
            mime_type: self.mime_type.clone(),
            context: context(),
        };
        Some((self.handler)(call))
    }
}

/// Builds a [`ResourceEntry`]; `#[resource]` generates the calls.
pub struct ResourceBuilder {
    template: UriTemplate,
    name: String,
    title: Option<String>,
    description: String,
    mime_type: Option<String>,
    package: Package,
    needs: Needs,
}

impl ResourceBuilder {
    /// A resource at `uri` (which may hold `{variables}`), named `name`.
    pub fn new(
        uri: &str,
        name: impl Into<String>,
        description: impl Into<String>,
        package: Package,
    ) -> Self {
        Self {
            template: UriTemplate::parse(uri),
            name: name.into(),
            title: None,
            description: description.into(),
            mime_type: None,
            package,
            needs: Needs::default(),
        }
    }

    /// A human-readable title.
    pub fn title(&mut self, title: impl Into<String>) -> &mut Self {
        self.title = Some(title.into());
        self
    }

    /// The MIME type of the contents (default: `text/plain` for text, `application/json` for
    /// structured values).
    pub fn mime_type(&mut self, mime_type: impl Into<String>) -> &mut Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    /// The resource takes a `State<T>`.
    pub fn state<T: Send + Sync + 'static>(&mut self) -> &mut Self {
        self.needs.states.push(StateType::of::<T>());
        self
    }

    /// The resource takes a [`Context`].
    pub fn uses_context(&mut self) -> &mut Self {
        self.needs.uses_context = true;
        self
    }

    /// Finishes the resource with the function that answers a read.
    pub fn build<F>(&mut self, handler: F) -> ResourceEntry
    where
        F: Fn(ResourceCall) -> BoxFuture<'static, Result<ReadResourceResult>>
            + Send
            + Sync
            + 'static,
    {
        ResourceEntry {
            enabled: true,
            template: self.template.clone(),
            name: self.name.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            mime_type: self.mime_type.clone(),
            package: self.package,
            needs: self.needs.clone(),
            item: None,
            handler: Arc::new(handler),
        }
    }
}

/// One read of a resource: the URI and the values of its template's variables.
pub struct ResourceCall {
    uri: String,
    variables: HashMap<String, String>,
    mime_type: Option<String>,
    context: Context,
}

impl ResourceCall {
    /// The URI being read.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The declared MIME type, if any.
    pub fn mime_type(&self) -> Option<&str> {
        self.mime_type.as_deref()
    }

    /// The value of the URI variable `name`, decoded as `T` (a string, or anything that parses
    /// from one, like a number).
    pub fn variable<T: DeserializeOwned>(&mut self, name: &str) -> Result<T> {
        let value = self
            .variables
            .remove(name)
            .ok_or_else(|| Error::internal(format!("the URI has no variable `{name}`")))?;
        decode(name, Value::String(value))
    }

    /// The server's state of type `T`.
    pub fn state<T: Send + Sync + 'static>(&self) -> Result<State<T>> {
        state::required(&self.context)
    }

    /// The request's context.
    pub fn context(&self) -> Context {
        self.context.clone()
    }
}

/// What a resource may return: `String` (text), any `T: Serialize + JsonSchema` (JSON text), or
/// rmcp's `ResourceContents`, `Vec<ResourceContents>` and `ReadResourceResult`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a resource",
    note = "return String, a type that implements Serialize + JsonSchema, rmcp's ResourceContents, or a Result of one of those"
)]
pub trait IntoResourceOutput {
    /// The contents sent for `uri`, with the declared MIME type if any.
    fn into_resource_output(self, uri: &str, mime_type: Option<&str>)
    -> Result<ReadResourceResult>;
}

impl IntoResourceOutput for String {
    fn into_resource_output(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        let contents =
            ResourceContents::text(self, uri).with_mime_type(mime_type.unwrap_or("text/plain"));
        Ok(ReadResourceResult::new(vec![contents]))
    }
}

impl IntoResourceOutput for &'static str {
    fn into_resource_output(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        self.to_owned().into_resource_output(uri, mime_type)
    }
}

impl IntoResourceOutput for ResourceContents {
    fn into_resource_output(
        self,
        _uri: &str,
        _mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        Ok(ReadResourceResult::new(vec![self]))
    }
}

impl IntoResourceOutput for Vec<ResourceContents> {
    fn into_resource_output(
        self,
        _uri: &str,
        _mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        Ok(ReadResourceResult::new(self))
    }
}

impl IntoResourceOutput for ReadResourceResult {
    fn into_resource_output(
        self,
        _uri: &str,
        _mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        Ok(self)
    }
}

impl<T: Serialize + JsonSchema + 'static> IntoResourceOutput for Structured<T> {
    fn into_resource_output(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        let text = serde_json::to_string_pretty(&self.0)
            .map_err(|e| Error::from(e).context("serializing the resource"))?;
        text.into_resource_output(uri, Some(mime_type.unwrap_or("application/json")))
    }
}

/// Binary contents of a resource (sent base64-encoded as a blob).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob {
    bytes: Vec<u8>,
    mime_type: Option<String>,
}

impl Blob {
    /// `bytes`, with the resource's declared MIME type (or `application/octet-stream`).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            mime_type: None,
        }
    }

    /// `bytes` of MIME type `mime_type`, whatever the resource declared.
    pub fn with_mime_type(bytes: impl Into<Vec<u8>>, mime_type: impl Into<String>) -> Self {
        Self {
            bytes: bytes.into(),
            mime_type: Some(mime_type.into()),
        }
    }
}

impl IntoResourceOutput for Blob {
    fn into_resource_output(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<ReadResourceResult> {
        let mime_type = self
            .mime_type
            .as_deref()
            .or(mime_type)
            .unwrap_or("application/octet-stream");
        let contents = ResourceContents::blob(crate::base64::encode(&self.bytes), uri)
            .with_mime_type(mime_type);
        Ok(ReadResourceResult::new(vec![contents]))
    }
}
