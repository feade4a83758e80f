"""The HSEEP core capabilities an exercise objective may name.

The Homeland Security Exercise and Evaluation Program organises objectives by core capability;
an AAR/IP groups its analysis and its improvement plan by them. Peace-operation courses use only a
handful (planning, operational coordination, public information and warning, situational
assessment, on-scene security and protection), but the whole list is accepted so that a course
director can use the names evaluators know. ``validate`` warns about any other name.
"""

from __future__ import annotations

CORE_CAPABILITIES: tuple[str, ...] = (
    "Planning",
    "Public Information and Warning",
    "Operational Coordination",
    "Forensics and Attribution",
    "Intelligence and Information Sharing",
    "Interdiction and Disruption",
    "Screening, Search, and Detection",
    "Access Control and Identity Verification",
    "Cybersecurity",
    "Physical Protective Measures",
    "Risk Management for Protection Programs and Activities",
    "Supply Chain Integrity and Security",
    "Community Resilience",
    "Long-term Vulnerability Reduction",
    "Risk and Disaster Resilience Assessment",
    "Threats and Hazards Identification",
    "Critical Transportation",
    "Environmental Response/Health and Safety",
    "Fatality Management Services",
    "Fire Management and Suppression",
    "Infrastructure Systems",
    "Logistics and Supply Chain Management",
    "Mass Care Services",
    "Mass Search and Rescue Operations",
    "On-scene Security, Protection, and Law Enforcement",
    "Operational Communications",
    "Public Health, Healthcare, and Emergency Medical Services",
    "Situational Assessment",
    "Economic Recovery",
    "Health and Social Services",
    "Housing",
    "Natural and Cultural Resources",
)
"""The 32 core capabilities of the US National Preparedness Goal, as HSEEP names them."""
