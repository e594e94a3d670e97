/**
 * Branded UUIDv7 ids (time-ordered, so rows sort by creation and merge well in sync; RFC 9562). A brand
 * is compile-time only: at run time an id is its UUID text.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

/** A UUID string that TypeScript knows to belong to one kind of entity. */
export type Id<Brand extends string> = string & { readonly __brand: Brand };
export type PatientId = Id<'patient'>;
export type AppointmentId = Id<'appointment'>;
export type PractitionerId = Id<'practitioner'>;
export type RoomId = Id<'room'>;
export type SpecialtyId = Id<'specialty'>;

/** A new UUIDv7 (48-bit millisecond timestamp + randomness) for an entity of kind `T`. */
export function newId<T extends string>(): Id<T> {
  return uuidv7() as Id<T>;
}

/** Zod schema for an id of one entity: any RFC 9562 UUID text, branded. */
export const idSchema = <Brand extends string>() =>
  z
    .string()
    .uuid()
    .transform((s) => s as Id<Brand>);
