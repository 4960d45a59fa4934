import type { AiAnswer } from '../../shared';
import { AiFieldStatus } from '../../shared';
import { DefectRisk, type PredictedComponentDefect, type PredictedPadDefect, type RiskLevel } from './defect-risk.type';

interface StoredBoardRisk {
  score: number;
  level: RiskLevel;
  likelyCause: string | null;
  pads: PredictedPadDefect[];
  components: PredictedComponentDefect[];
}

/** An AI answer for a board as its DefectRisk field. */
export function toDefectRisk(answer: AiAnswer): DefectRisk {
  const risk = Object.assign(new DefectRisk(), {
    status: AiFieldStatus[answer.status],
    reason: answer.status === 'READY' ? null : answer.reason,
    score: null,
    level: null,
    predictedDefects: [],
    components: [],
    likelyCause: null,
    modelName: 'spi-defect-risk',
    modelVersion: answer.status === 'PENDING' ? answer.modelVersion : (answer.insight?.modelVersion ?? ''),
    computedAt: answer.status !== 'PENDING' && answer.insight ? new Date(answer.insight.computedAt) : null,
  });
  if (answer.status === 'READY') {
    const stored = answer.insight.value as unknown as StoredBoardRisk;
    Object.assign(risk, { score: stored.score, level: stored.level, likelyCause: stored.likelyCause, predictedDefects: stored.pads, components: stored.components });
  }
  return risk;
}
