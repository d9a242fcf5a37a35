import { createContext, useContext } from 'solid-js';
import type { NotebookStore } from '../../state/notebook';

export const NotebookContext = createContext<NotebookStore>();

export function useNotebook(): NotebookStore {
  const nb = useContext(NotebookContext);
  if (!nb) throw new Error('useNotebook() outside <NotebookContext.Provider>');
  return nb;
}
