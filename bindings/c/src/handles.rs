//! The registry behind every opaque handle (`auth0_webauth`,
//! `auth0_management`, `auth0_cancel`), after Mozilla ffi-support's
//! `HandleMap`: the pointer a C caller holds is never dereferenced. It
//! encodes a slot index, that slot's generation, the handle's kind and a
//! magic tag; the object itself lives in the slot as an `Arc`.
//!
//! So a caller's mistake is an error rather than undefined behaviour:
//! a stale handle (freed, or freed twice) fails the generation check, a
//! handle of another kind the kind check, and a pointer that was never a
//! handle (`(auth0_webauth *)0x1234`, the address of a local) the magic tag
//! or the index. A call holds its own `Arc` clone for its whole duration,
//! so a handle freed while a call is in flight is released only when the
//! last such call returns.

use std::any::Any;
use std::sync::{Arc, RwLock};

/// A type handed to C behind a registry handle.
pub(crate) trait Handle: Any + Send + Sync {
    /// Distinguishes the kinds in the encoded pointer (1..=15).
    const KIND: usize;
    /// The C type's name, for messages (`"auth0_webauth"`).
    const C_NAME: &'static str;
    /// The function that releases it, for messages (`"auth0_webauth_free"`).
    const FREE: &'static str;
}

// Layout of the handle value, low bits first: index, generation, kind,
// magic. On 64-bit targets the magic byte is the top one, which no user-space
// address (heap, stack, static) has set to 0xA5, so a real pointer is never
// taken for a handle. 32-bit targets get fewer bits of everything.
#[cfg(target_pointer_width = "64")]
mod layout {
    pub(super) const INDEX_BITS: u32 = 24;
    pub(super) const GENERATION_BITS: u32 = 28;
    pub(super) const KIND_BITS: u32 = 4;
    pub(super) const MAGIC: usize = 0xA5;
}
#[cfg(not(target_pointer_width = "64"))]
mod layout {
    pub(super) const INDEX_BITS: u32 = 12;
    pub(super) const GENERATION_BITS: u32 = 12;
    pub(super) const KIND_BITS: u32 = 4;
    pub(super) const MAGIC: usize = 0xA;
}
use layout::*;

const GENERATION_SHIFT: u32 = INDEX_BITS;
const KIND_SHIFT: u32 = INDEX_BITS + GENERATION_BITS;
const MAGIC_SHIFT: u32 = KIND_SHIFT + KIND_BITS;
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
const GENERATION_MASK: usize = (1 << GENERATION_BITS) - 1;
const KIND_MASK: usize = (1 << KIND_BITS) - 1;

struct Slot {
    /// Bumped at every free, so every handle ever given out for this slot
    /// but the current one is stale (until it wraps, after 2^28 reuses).
    generation: usize,
    value: Option<Arc<dyn Any + Send + Sync>>,
}

struct Registry {
    slots: Vec<Slot>,
    /// Indexes of empty slots.
    free: Vec<usize>,
}

static REGISTRY: RwLock<Registry> = RwLock::new(Registry {
    slots: Vec::new(),
    free: Vec::new(),
});

// Nothing that can panic runs under the lock, but a poisoned lock is still
// usable: its data is consistent after every statement.
fn read() -> std::sync::RwLockReadGuard<'static, Registry> {
    REGISTRY.read().unwrap_or_else(|e| e.into_inner())
}
fn write() -> std::sync::RwLockWriteGuard<'static, Registry> {
    REGISTRY.write().unwrap_or_else(|e| e.into_inner())
}

fn encode<T: Handle>(index: usize, generation: usize) -> *mut T {
    let bits =
        (MAGIC << MAGIC_SHIFT) | (T::KIND << KIND_SHIFT) | (generation << GENERATION_SHIFT) | index;
    // A pointer-sized number, not an address: it is never dereferenced.
    std::ptr::without_provenance_mut(bits)
}

/// Registers `value` and returns the handle to give to C; `None` when every
/// index is in use (2^24 live handles on 64-bit targets).
pub(crate) fn insert<T: Handle>(value: T) -> Option<*mut T> {
    let value: Arc<dyn Any + Send + Sync> = Arc::new(value);
    let mut r = write();
    let index = match r.free.pop() {
        Some(i) => i,
        None if r.slots.len() <= INDEX_MASK => {
            r.slots.push(Slot {
                generation: 0,
                value: None,
            });
            r.slots.len() - 1
        }
        None => return None,
    };
    let slot = &mut r.slots[index];
    slot.value = Some(value);
    Some(encode::<T>(index, slot.generation))
}

/// The slot index of a handle, when `p` has the shape of a handle of kind
/// `T` and its generation matches the slot's.
fn index_of<T: Handle>(r: &Registry, p: *const T) -> Option<usize> {
    let bits = p.addr();
    if bits >> MAGIC_SHIFT != MAGIC || (bits >> KIND_SHIFT) & KIND_MASK != T::KIND {
        return None;
    }
    let index = bits & INDEX_MASK;
    let slot = r.slots.get(index)?;
    (slot.value.is_some() && slot.generation == (bits >> GENERATION_SHIFT) & GENERATION_MASK)
        .then_some(index)
}

/// The live object behind `p`, shared for as long as the caller keeps the
/// `Arc`; `None` for NULL, a stale handle, a handle of another kind or a
/// pointer that was never a handle.
pub(crate) fn get<T: Handle>(p: *const T) -> Option<Arc<T>> {
    let r = read();
    let index = index_of(&r, p)?;
    let value = r.slots[index].value.clone()?;
    drop(r);
    value.downcast::<T>().ok()
}

/// Unregisters `p`; the object is dropped when the last call still using it
/// returns (here, when none is). Returns whether `p` was a live handle: a
/// second free, or a pointer that was never a handle, does nothing.
pub(crate) fn remove<T: Handle>(p: *const T) -> bool {
    let value = {
        let mut r = write();
        let Some(index) = index_of(&r, p) else {
            return false;
        };
        let slot = &mut r.slots[index];
        slot.generation = (slot.generation + 1) & GENERATION_MASK;
        let value = slot.value.take();
        r.free.push(index);
        value
    };
    // Dropped outside the lock: a destructor may take its time (close
    // sockets) and must not hold every other call up.
    drop(value);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Thing(u32);
    impl Handle for Thing {
        const KIND: usize = 14;
        const C_NAME: &'static str = "thing";
        const FREE: &'static str = "thing_free";
    }
    struct Other;
    impl Handle for Other {
        const KIND: usize = 15;
        const C_NAME: &'static str = "other";
        const FREE: &'static str = "other_free";
    }

    #[test]
    fn a_live_handle_gives_its_object() {
        let h = insert(Thing(7)).unwrap();
        assert_eq!(get(h).unwrap().0, 7);
        assert!(remove(h));
    }

    #[test]
    fn a_freed_handle_is_stale_and_a_second_free_does_nothing() {
        let h = insert(Thing(1)).unwrap();
        assert!(remove(h));
        assert!(get(h).is_none());
        assert!(!remove(h));
        // The slot is reused with a new generation: the old handle stays stale.
        let h2 = insert(Thing(2)).unwrap();
        assert!(get(h).is_none());
        assert_eq!(get(h2).unwrap().0, 2);
        assert!(remove(h2));
    }

    #[test]
    fn a_handle_of_another_kind_is_refused() {
        let h = insert(Thing(3)).unwrap();
        assert!(get(h.cast::<Other>()).is_none());
        assert!(!remove(h.cast::<Other>()));
        assert!(remove(h));
    }

    #[test]
    fn pointers_that_were_never_handles_are_refused() {
        let local = 0u64;
        let boxed = Box::new(Thing(4));
        for p in [
            std::ptr::null::<Thing>(),
            std::ptr::without_provenance(0x1234),
            (&local as *const u64).cast(),
            &*boxed as *const Thing,
            std::ptr::without_provenance(usize::MAX),
        ] {
            assert!(get(p).is_none(), "{p:?}");
            assert!(!remove(p), "{p:?}");
        }
    }

    #[test]
    fn an_object_freed_during_a_call_lives_until_the_call_drops_it() {
        let h = insert(Thing(5)).unwrap();
        let in_flight = get(h).unwrap();
        assert!(remove(h));
        assert!(get(h).is_none());
        assert_eq!(in_flight.0, 5);
        assert_eq!(Arc::strong_count(&in_flight), 1);
    }
}
