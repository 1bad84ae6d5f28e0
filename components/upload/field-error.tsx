/** A field's server or client errors, announced; `id` is `<name>-error` so inputs can point at it. */
export function FieldError({ name, errors }: { name: string; errors?: string[] }) {
  return errors?.length ? (
    <span className="field-error" id={`${name}-error`} role="alert">
      {errors.join(" ")}
    </span>
  ) : null;
}
