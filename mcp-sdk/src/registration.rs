//! How a function marked `#[tool]`, `#[resource]` or `#[prompt]` reaches `Server::tool(..)` etc.
//!
//! The macro leaves a struct describing the item and a marker function of the same name,
//! `fn add(Marker<add>) -> add`. `Server::tool` takes anything that implements `IntoTool<M>`: a
//! hand-made `ToolEntry` (with `M = ()`), or a function `Fn(Marker<T>) -> T` whose `T` describes a
//! tool — the marker function, and nothing a user writes by accident.

use std::marker::PhantomData;

/// The argument of a marker function; never constructed. `T` is the struct that describes the item.
pub struct Marker<T>(PhantomData<T>);

/// Declares, for one kind of item: the trait the macro implements on its struct, the public
/// `IntoX<M>` trait, its impl for marker functions, and its impl for the entry itself.
macro_rules! registration {
    (
        $(#[$into_meta:meta])*
        $into:ident :: $into_fn:ident,
        $item:ident :: $item_fn:ident,
        $entry:ty,
        $attribute:literal
    ) => {
        #[doc = concat!("What `#[", $attribute, "]` implements on the struct it generates.")]
        #[doc(hidden)]
        pub trait $item {
            /// The item's description and handler.
            fn $item_fn() -> $entry;
        }

        $(#[$into_meta])*
        pub trait $into<M = ()> {
            /// The item's description and handler.
            fn $into_fn(self) -> $entry;
        }

        impl<F, T> $into<$crate::registration::Marker<T>> for F
        where
            F: Fn($crate::registration::Marker<T>) -> T,
            T: $item + 'static,
        {
            fn $into_fn(self) -> $entry {
                let mut entry = T::$item_fn();
                entry.item = Some(::std::any::TypeId::of::<T>());
                entry
            }
        }

        impl $into for $entry {
            fn $into_fn(self) -> $entry {
                self
            }
        }
    };
}

pub(crate) use registration;
