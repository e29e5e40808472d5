//! Rich content for tools and prompts: images, audio, embedded resources, resource links, and
//! several of them at once (a tuple or a `Vec<Content>`).

use rmcp::model::{
    AudioContent, CallToolResult, ContentBlock, GetPromptResult, ImageContent, PromptMessage,
    Resource, ResourceContents, Role,
};

use crate::{IntoPromptOutput, IntoToolOutput, Result, base64};

/// An image: bytes and their MIME type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    data: String,
    mime_type: String,
}

impl Image {
    /// An image of MIME type `mime_type` (`image/webp`, ...).
    pub fn new(bytes: impl AsRef<[u8]>, mime_type: impl Into<String>) -> Self {
        Self {
            data: base64::encode(bytes.as_ref()),
            mime_type: mime_type.into(),
        }
    }

    /// A PNG image.
    pub fn png(bytes: impl AsRef<[u8]>) -> Self {
        Self::new(bytes, "image/png")
    }

    /// A JPEG image.
    pub fn jpeg(bytes: impl AsRef<[u8]>) -> Self {
        Self::new(bytes, "image/jpeg")
    }

    /// The MIME type.
    pub fn mime_type(&self) -> &str {
        &self.mime_type
    }

    /// The bytes, base64-encoded as MCP sends them.
    pub fn base64(&self) -> &str {
        &self.data
    }

    pub(crate) fn into_content(self) -> ImageContent {
        ImageContent::new(self.data, self.mime_type)
    }

    pub(crate) fn from_content(content: ImageContent) -> Self {
        Self {
            data: content.data,
            mime_type: content.mime_type,
        }
    }
}

/// A sound: bytes and their MIME type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audio {
    data: String,
    mime_type: String,
}

impl Audio {
    /// Audio of MIME type `mime_type` (`audio/ogg`, ...).
    pub fn new(bytes: impl AsRef<[u8]>, mime_type: impl Into<String>) -> Self {
        Self {
            data: base64::encode(bytes.as_ref()),
            mime_type: mime_type.into(),
        }
    }

    /// WAV audio.
    pub fn wav(bytes: impl AsRef<[u8]>) -> Self {
        Self::new(bytes, "audio/wav")
    }

    /// MP3 audio.
    pub fn mp3(bytes: impl AsRef<[u8]>) -> Self {
        Self::new(bytes, "audio/mpeg")
    }
}

/// The contents of a resource sent along with a result, so the client need not read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Embedded(ResourceContents);

impl Embedded {
    /// Text contents of `uri`.
    pub fn text(
        uri: impl Into<String>,
        text: impl Into<String>,
        mime_type: impl Into<String>,
    ) -> Self {
        Self(ResourceContents::text(text, uri).with_mime_type(mime_type))
    }

    /// Binary contents of `uri`.
    pub fn blob(
        uri: impl Into<String>,
        bytes: impl AsRef<[u8]>,
        mime_type: impl Into<String>,
    ) -> Self {
        Self(ResourceContents::blob(base64::encode(bytes.as_ref()), uri).with_mime_type(mime_type))
    }
}

/// A link to a resource the client may read later.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceLink(Resource);

impl ResourceLink {
    /// A link to `uri`, shown as `name`.
    pub fn new(uri: impl Into<String>, name: impl Into<String>) -> Self {
        Self(Resource::new(uri, name))
    }

    /// What the resource is.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.0.description = Some(description.into());
        self
    }

    /// Its MIME type.
    pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.0.mime_type = Some(mime_type.into());
        self
    }
}

/// One block of content. Tools and prompts may return several: a tuple such as
/// `(String, Image)`, or a `Vec<Content>`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Content {
    /// Text.
    Text(String),
    /// An image.
    Image(Image),
    /// A sound.
    Audio(Audio),
    /// An embedded resource.
    Embedded(Embedded),
    /// A link to a resource.
    Link(ResourceLink),
}

impl Content {
    fn into_block(self) -> ContentBlock {
        match self {
            Content::Text(text) => ContentBlock::text(text),
            Content::Image(image) => ContentBlock::image(image.data, image.mime_type),
            Content::Audio(audio) => {
                ContentBlock::Audio(AudioContent::new(audio.data, audio.mime_type))
            }
            Content::Embedded(embedded) => ContentBlock::resource(embedded.0),
            Content::Link(link) => ContentBlock::resource_link(link.0),
        }
    }
}

macro_rules! into_content {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for Content {
            fn from(value: $ty) -> Self {
                Content::$variant(value)
            }
        }

        impl IntoToolOutput for $ty {
            fn into_tool_output(self) -> Result<CallToolResult> {
                vec![Content::from(self)].into_tool_output()
            }
        }

        impl IntoPromptOutput for $ty {
            fn into_prompt_output(self) -> Result<GetPromptResult> {
                vec![Content::from(self)].into_prompt_output()
            }
        }
    )*};
}

into_content!(Image => Image, Audio => Audio, Embedded => Embedded, ResourceLink => Link);

impl From<String> for Content {
    fn from(text: String) -> Self {
        Content::Text(text)
    }
}

impl From<&str> for Content {
    fn from(text: &str) -> Self {
        Content::Text(text.to_owned())
    }
}

impl IntoToolOutput for Content {
    fn into_tool_output(self) -> Result<CallToolResult> {
        vec![self].into_tool_output()
    }
}

impl IntoToolOutput for Vec<Content> {
    fn into_tool_output(self) -> Result<CallToolResult> {
        let blocks = self.into_iter().map(Content::into_block).collect();
        Ok(CallToolResult::success(blocks))
    }
}

/// Several blocks from a prompt are one user message each, in order.
impl IntoPromptOutput for Vec<Content> {
    fn into_prompt_output(self) -> Result<GetPromptResult> {
        let messages = self
            .into_iter()
            .map(|content| PromptMessage::new(Role::User, content.into_block()))
            .collect::<Vec<_>>();
        messages.into_prompt_output()
    }
}

macro_rules! tuples {
    ($(($($name:ident),+)),* $(,)?) => {$(
        impl<$($name: Into<Content>),+> IntoToolOutput for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_tool_output(self) -> Result<CallToolResult> {
                let ($($name,)+) = self;
                vec![$($name.into()),+].into_tool_output()
            }
        }

        impl<$($name: Into<Content>),+> IntoPromptOutput for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_prompt_output(self) -> Result<GetPromptResult> {
                let ($($name,)+) = self;
                vec![$($name.into()),+].into_prompt_output()
            }
        }
    )*};
}

tuples!((A, B), (A, B, C), (A, B, C, D));
