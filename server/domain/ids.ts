/** Branded UUIDv7 ids (time-ordered, so rows sort by creation and merge well in sync). Source: RFC 9562. */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

export type Id<Brand extends string> = string & { readonly __brand: Brand };
export type PatientId = Id<'patient'>;
export type AppointmentId = Id<'appointment'>;
export type PractitionerId = Id<'practitioner'>;
export type RoomId = Id<'room'>;
export type SpecialtyId = Id<'specialty'>;

export function newId<T extends string>(): Id<T> {
  return uuidv7() as Id<T>;
}

/** Zod schema for an id of one entity: any RFC 9562 UUID text, branded. */
export const idSchema = <Brand extends string>() =>
  z
    .string()
    .uuid()
    .transform((s) => s as Id<Brand>);
