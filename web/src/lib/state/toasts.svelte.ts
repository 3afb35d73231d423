export interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  error(text: string): void {
    this.push(text, 'error');
  }

  info(text: string): void {
    this.push(text, 'info');
  }

  dismiss(id: number): void {
    this.items = this.items.filter((x) => x.id !== id);
  }

  private push(text: string, kind: Toast['kind']): void {
    const id = this.next++;
    // The same refusal twice in a row is one message, not a stack of them.
    this.items = [...this.items.filter((x) => x.text !== text), { id, text, kind }].slice(-4);
    setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 4000);
  }
}

export const toasts = new Toasts();
