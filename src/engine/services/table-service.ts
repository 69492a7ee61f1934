// Placeholder: the store work replaces this with the SQLite-backed table service.
export interface TableService {
  readonly placeholder?: true;
}
