/** "12 / 200" beside a limited field; over the limit it turns red and says so (nothing is cut). */
export function Counter({ id, length, max }: { id: string; length: number; max: number }) {
  const over = length > max;
  return (
    <span className="counter" id={id} data-over={over}>
      {length.toLocaleString("en")} / {max.toLocaleString("en")}
      {over ? " — too long" : ""}
    </span>
  );
}
